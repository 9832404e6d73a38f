package io.tickrelay.cluster;

import static io.tickrelay.cluster.Packing.instant;
import static io.tickrelay.cluster.Packing.string;
import static io.tickrelay.cluster.Packing.strings;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import io.tickrelay.marketdata.PassThrough;
import io.tickrelay.marketdata.Published;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import io.tickrelay.marketdata.TradeUpdate;
import io.tickrelay.marketdata.TradingStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Every {@link MarketEvent} as a type tag and its components in declaration order. The tags are
 * part of log format 1: a new event type gets a new tag, a changed record a new format version
 * ({@link EventCodec}), never a reused tag.
 */
final class EventPacking {

  private static final int TRADE = 1;
  private static final int QUOTE = 2;
  private static final int BAR = 3;
  private static final int TRADING_STATUS = 4;
  private static final int LULD = 5;
  private static final int IMBALANCE = 6;
  private static final int TRADE_CORRECTION = 7;
  private static final int TRADE_CANCEL = 8;
  private static final int CRYPTO_TRADE = 9;
  private static final int CRYPTO_QUOTE = 10;
  private static final int CRYPTO_BAR = 11;
  private static final int ORDER_BOOK = 12;
  private static final int TRADE_UPDATE = 13;
  private static final int PUBLISHED = 14;
  private static final int PASS_THROUGH = 15;

  private EventPacking() {}

  static void write(MessagePacker out, MarketEvent event) throws IOException {
    if (event instanceof Trade e) {
      out.packInt(TRADE);
      string(out, e.symbol());
      out.packLong(e.id());
      string(out, e.exchange());
      out.packDouble(e.price());
      out.packLong(e.size());
      instant(out, e.timestamp());
      strings(out, e.conditions());
      string(out, e.tape());
    } else if (event instanceof Quote e) {
      out.packInt(QUOTE);
      string(out, e.symbol());
      string(out, e.bidExchange());
      out.packDouble(e.bidPrice());
      out.packLong(e.bidSize());
      string(out, e.askExchange());
      out.packDouble(e.askPrice());
      out.packLong(e.askSize());
      instant(out, e.timestamp());
      strings(out, e.conditions());
      string(out, e.tape());
    } else if (event instanceof Bar e) {
      out.packInt(BAR);
      kind(out, e.kind());
      string(out, e.symbol());
      out.packDouble(e.open());
      out.packDouble(e.high());
      out.packDouble(e.low());
      out.packDouble(e.close());
      out.packLong(e.volume());
      out.packLong(e.tradeCount());
      out.packDouble(e.vwap());
      instant(out, e.timestamp());
    } else if (event instanceof TradingStatus e) {
      out.packInt(TRADING_STATUS);
      string(out, e.symbol());
      string(out, e.statusCode());
      string(out, e.statusMessage());
      string(out, e.reasonCode());
      string(out, e.reasonMessage());
      instant(out, e.timestamp());
      string(out, e.tape());
    } else if (event instanceof Luld e) {
      out.packInt(LULD);
      string(out, e.symbol());
      out.packDouble(e.limitUp());
      out.packDouble(e.limitDown());
      string(out, e.indicator());
      instant(out, e.timestamp());
      string(out, e.tape());
    } else if (event instanceof Imbalance e) {
      out.packInt(IMBALANCE);
      string(out, e.symbol());
      out.packDouble(e.price());
      instant(out, e.timestamp());
      string(out, e.tape());
    } else if (event instanceof TradeCorrection e) {
      out.packInt(TRADE_CORRECTION);
      string(out, e.symbol());
      string(out, e.exchange());
      out.packLong(e.originalId());
      out.packDouble(e.originalPrice());
      out.packLong(e.originalSize());
      strings(out, e.originalConditions());
      out.packLong(e.correctedId());
      out.packDouble(e.correctedPrice());
      out.packLong(e.correctedSize());
      strings(out, e.correctedConditions());
      instant(out, e.timestamp());
      string(out, e.tape());
    } else if (event instanceof TradeCancel e) {
      out.packInt(TRADE_CANCEL);
      string(out, e.symbol());
      out.packLong(e.id());
      string(out, e.exchange());
      out.packDouble(e.price());
      out.packLong(e.size());
      string(out, e.action());
      instant(out, e.timestamp());
      string(out, e.tape());
    } else {
      writeOther(out, event);
    }
  }

  // crypto, order books, trading and the gateway's own events; split only to keep methods short
  private static void writeOther(MessagePacker out, MarketEvent event) throws IOException {
    if (event instanceof CryptoTrade e) {
      out.packInt(CRYPTO_TRADE);
      string(out, e.symbol());
      out.packLong(e.id());
      out.packDouble(e.price());
      out.packDouble(e.size());
      instant(out, e.timestamp());
      string(out, e.takerSide());
    } else if (event instanceof CryptoQuote e) {
      out.packInt(CRYPTO_QUOTE);
      string(out, e.symbol());
      out.packDouble(e.bidPrice());
      out.packDouble(e.bidSize());
      out.packDouble(e.askPrice());
      out.packDouble(e.askSize());
      instant(out, e.timestamp());
    } else if (event instanceof CryptoBar e) {
      out.packInt(CRYPTO_BAR);
      kind(out, e.kind());
      string(out, e.symbol());
      out.packDouble(e.open());
      out.packDouble(e.high());
      out.packDouble(e.low());
      out.packDouble(e.close());
      out.packDouble(e.volume());
      out.packLong(e.tradeCount());
      out.packDouble(e.vwap());
      instant(out, e.timestamp());
    } else if (event instanceof OrderBook e) {
      out.packInt(ORDER_BOOK);
      string(out, e.symbol());
      instant(out, e.timestamp());
      levels(out, e.bids());
      levels(out, e.asks());
      out.packBoolean(e.reset());
    } else if (event instanceof TradeUpdate e) {
      out.packInt(TRADE_UPDATE);
      string(out, e.symbol());
      string(out, e.event());
      instant(out, e.timestamp());
      string(out, e.json());
    } else if (event instanceof Published e) {
      out.packInt(PUBLISHED);
      string(out, e.channelName());
      string(out, e.publisher());
      string(out, e.json());
      instant(out, e.timestamp());
    } else if (event instanceof PassThrough e) {
      out.packInt(PASS_THROUGH);
      string(out, e.type());
      string(out, e.symbol());
      instant(out, e.timestamp());
      Packing.value(out, e.fields());
    } else {
      throw new IllegalArgumentException("no log encoding for " + event.getClass().getName());
    }
  }

  static MarketEvent read(MessageUnpacker in) throws IOException {
    int tag = in.unpackInt();
    switch (tag) {
      case TRADE:
        return new Trade(string(in), in.unpackLong(), string(in), in.unpackDouble(),
            in.unpackLong(), instant(in), strings(in), string(in));
      case QUOTE:
        return new Quote(string(in), string(in), in.unpackDouble(), in.unpackLong(), string(in),
            in.unpackDouble(), in.unpackLong(), instant(in), strings(in), string(in));
      case BAR:
        return new Bar(kind(in), string(in), in.unpackDouble(), in.unpackDouble(),
            in.unpackDouble(), in.unpackDouble(), in.unpackLong(), in.unpackLong(),
            in.unpackDouble(), instant(in));
      case TRADING_STATUS:
        return new TradingStatus(string(in), string(in), string(in), string(in), string(in),
            instant(in), string(in));
      case LULD:
        return new Luld(string(in), in.unpackDouble(), in.unpackDouble(), string(in), instant(in),
            string(in));
      case IMBALANCE:
        return new Imbalance(string(in), in.unpackDouble(), instant(in), string(in));
      case TRADE_CORRECTION:
        return new TradeCorrection(string(in), string(in), in.unpackLong(), in.unpackDouble(),
            in.unpackLong(), strings(in), in.unpackLong(), in.unpackDouble(), in.unpackLong(),
            strings(in), instant(in), string(in));
      case TRADE_CANCEL:
        return new TradeCancel(string(in), in.unpackLong(), string(in), in.unpackDouble(),
            in.unpackLong(), string(in), instant(in), string(in));
      default:
        return readOther(tag, in);
    }
  }

  // Java evaluates constructor arguments left to right (JLS 15.12.4.2), so each component is read
  // in the order written
  private static MarketEvent readOther(int tag, MessageUnpacker in) throws IOException {
    switch (tag) {
      case CRYPTO_TRADE:
        return new CryptoTrade(string(in), in.unpackLong(), in.unpackDouble(), in.unpackDouble(),
            instant(in), string(in));
      case CRYPTO_QUOTE:
        return new CryptoQuote(string(in), in.unpackDouble(), in.unpackDouble(),
            in.unpackDouble(), in.unpackDouble(), instant(in));
      case CRYPTO_BAR:
        return new CryptoBar(kind(in), string(in), in.unpackDouble(), in.unpackDouble(),
            in.unpackDouble(), in.unpackDouble(), in.unpackDouble(), in.unpackLong(),
            in.unpackDouble(), instant(in));
      case ORDER_BOOK:
        return new OrderBook(string(in), instant(in), levels(in), levels(in), in.unpackBoolean());
      case TRADE_UPDATE:
        return new TradeUpdate(string(in), string(in), instant(in), string(in));
      case PUBLISHED:
        return new Published(string(in), string(in), string(in), instant(in));
      case PASS_THROUGH:
        return new PassThrough(string(in), string(in), instant(in), fields(in));
      default:
        throw new IOException("unknown event type " + tag);
    }
  }

  private static void kind(MessagePacker out, Bar.Kind kind) throws IOException {
    string(out, kind == null ? null : kind.name());
  }

  private static Bar.Kind kind(MessageUnpacker in) throws IOException {
    String name = string(in);
    return name == null ? null : Bar.Kind.valueOf(name);
  }

  private static void levels(MessagePacker out, List<OrderBook.Level> levels) throws IOException {
    out.packArrayHeader(levels.size() * 2);
    for (OrderBook.Level level : levels) {
      out.packDouble(level.price());
      out.packDouble(level.size());
    }
  }

  private static List<OrderBook.Level> levels(MessageUnpacker in) throws IOException {
    int size = in.unpackArrayHeader() / 2;
    List<OrderBook.Level> levels = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      levels.add(new OrderBook.Level(in.unpackDouble(), in.unpackDouble()));
    }
    return levels;
  }

  private static Map<String, Object> fields(MessageUnpacker in) throws IOException {
    Object value = Packing.value(in);
    if (!(value instanceof Map<?, ?> map)) {
      throw new IOException("a passed-through message's fields are not a map");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    map.forEach((name, field) -> fields.put((String) name, field));
    return fields;
  }
}
