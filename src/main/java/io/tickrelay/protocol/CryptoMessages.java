package io.tickrelay.protocol;

import static io.tickrelay.protocol.Messages.dbl;
import static io.tickrelay.protocol.Messages.lng;
import static io.tickrelay.protocol.Messages.str;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Alpaca's crypto v1beta3 message shapes (upstream-protocols.md §1.4, §1.5): the records with the
 * keys and key order of Alpaca's documented examples, {@code T} first, and the crypto acknowledgement.
 */
final class CryptoMessages {

  private CryptoMessages() {}

  /** Writes a crypto record and returns true, or returns false for any other event. */
  static boolean writeEvent(MessageWriter w, MarketEvent event, long seq) {
    int extra = seq >= 0 ? 1 : 0;
    if (event instanceof CryptoTrade t) {
      // {"T":"t","S":"AVAX/USD","p":47.299,"s":29.205707815,"t":"...","i":3447222699101865076,"tks":"S"}
      w.mapHeader(7 + extra);
      w.field("T", "t");
      w.field("S", t.symbol());
      w.field("p", t.price());
      w.field("s", t.size());
      w.timeField("t", t.timestamp());
      w.integerField("i", t.id());
      w.field("tks", t.takerSide());
    } else if (event instanceof CryptoQuote q) {
      w.mapHeader(7 + extra);
      w.field("T", "q");
      w.field("S", q.symbol());
      w.field("bp", q.bidPrice());
      w.field("bs", q.bidSize());
      w.field("ap", q.askPrice());
      w.field("as", q.askSize());
      w.timeField("t", q.timestamp());
    } else if (event instanceof CryptoBar b) {
      w.mapHeader(10 + extra);
      w.field("T", Messages.barType(b.kind()));
      w.field("S", b.symbol());
      w.field("o", b.open());
      w.field("h", b.high());
      w.field("l", b.low());
      w.field("c", b.close());
      w.field("v", b.volume());
      w.timeField("t", b.timestamp());
      w.integerField("n", b.tradeCount());
      w.field("vw", b.vwap());
    } else if (event instanceof OrderBook o) {
      // r only on a full book: Alpaca's delta example carries no r at all (§1.5)
      w.mapHeader((o.reset() ? 6 : 5) + extra);
      w.field("T", "o");
      w.field("S", o.symbol());
      w.timeField("t", o.timestamp());
      writeLevels(w, "b", o.bids());
      writeLevels(w, "a", o.asks());
      if (o.reset()) {
        w.key("r");
        w.bool(true);
      }
    } else {
      return false;
    }
    Messages.writeSeq(w, seq);
    w.endMap();
    return true;
  }

  private static void writeLevels(MessageWriter w, String key, List<OrderBook.Level> levels) {
    w.key(key);
    w.arrayHeader(levels.size());
    for (OrderBook.Level level : levels) {
      w.mapHeader(2);
      w.field("p", level.price());
      w.field("s", level.size());
      w.endMap();
    }
    w.endArray();
  }

  /** {@code [{"T":"subscription","trades":[],"quotes":[],"orderbooks":[],"bars":[...],...}]}. */
  static void writeSubscription(MessageWriter w, Interest interest) {
    Messages.writeSubscription(w, interest, Channel.CRYPTO);
  }

  /** A crypto data record, or null for a type that is not one (control messages are shared). */
  static MarketEvent readEvent(String type, Map<?, ?> m) {
    return switch (type) {
      case "t" -> new CryptoTrade(
          str(m, "S"), lng(m, "i"), dbl(m, "p"), dbl(m, "s"), TreeValues.instant(m.get("t")),
          str(m, "tks"));
      case "q" -> new CryptoQuote(
          str(m, "S"), dbl(m, "bp"), dbl(m, "bs"), dbl(m, "ap"), dbl(m, "as"),
          TreeValues.instant(m.get("t")));
      case "b", "d", "u" -> new CryptoBar(
          Messages.barKind(type), str(m, "S"), dbl(m, "o"), dbl(m, "h"), dbl(m, "l"), dbl(m, "c"),
          dbl(m, "v"), lng(m, "n"), dbl(m, "vw"), TreeValues.instant(m.get("t")));
      case "o" -> new OrderBook(
          str(m, "S"), TreeValues.instant(m.get("t")), levels(m.get("b")), levels(m.get("a")),
          Boolean.TRUE.equals(m.get("r")));
      default -> null;
    };
  }

  private static List<OrderBook.Level> levels(Object value) {
    if (value == null) {
      return List.of();
    }
    List<OrderBook.Level> levels = new ArrayList<>();
    for (Object element : (List<?>) value) {
      Map<?, ?> level = (Map<?, ?>) element;
      levels.add(new OrderBook.Level(dbl(level, "p"), dbl(level, "s")));
    }
    return levels;
  }
}
