package io.tickrelay.cluster;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketDataRecovered;
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
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every payload type the log carries, with the awkward values a codec gets wrong: nulls where a
 * record allows them, extreme and non-finite numbers, non-ASCII symbols, instants with nanoseconds
 * and before 1970.
 */
final class LogSamples {

  static final Instant NANOS = Instant.parse("2026-12-03T14:30:00.123456789Z");
  static final Instant OLD = Instant.parse("1969-07-20T20:17:40.000000001Z");

  private LogSamples() {}

  /** At least two of each MarketEvent type: an ordinary one and one with edge values. */
  static List<MarketEvent> events() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("z", null);
    nested.put("big", new BigInteger("18446744073709551615"));
    nested.put("neg", new BigInteger("-92233720368547758080"));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("S", "BTC-PERP");
    fields.put("t", "2026-12-03T14:30:00.123456789Z");
    fields.put("p", 97123.5);
    fields.put("n", Long.MIN_VALUE);
    fields.put("ok", Boolean.TRUE);
    fields.put("at", NANOS);
    fields.put("list", Arrays.asList(1L, "two", null, 3.0, List.of()));
    fields.put("map", nested);
    fields.put("nan", Double.NaN);
    return List.of(
        new Trade("AAPL", 1L, "V", 189.12, 100, NANOS, List.of("@", "I"), "C"),
        new Trade("ÄPFEL.日本", Long.MAX_VALUE, null, Double.MIN_VALUE, Long.MIN_VALUE, null,
            List.of(), null),
        new Quote("MSFT", "Q", 411.5, 3, "P", 411.52, 5, NANOS, List.of("R"), "C"),
        new Quote("Ω", null, -0.0, 0, null, Double.MAX_VALUE, Long.MAX_VALUE, OLD, List.of(), null),
        new Bar(Bar.Kind.MINUTE, "SPY", 1, 2, 0.5, 1.5, 1000, 12, 1.25, NANOS),
        new Bar(Bar.Kind.UPDATED, "SPY", Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, -1e-300, -1, 0, 0, OLD),
        new Bar(Bar.Kind.DAILY, "SPY", 1, 1, 1, 1, 1, 1, 1, Instant.EPOCH),
        new TradingStatus("GME", "H", "Trading Halt", "T12", "News pending", NANOS, "C"),
        new TradingStatus("GME", null, null, null, null, null, null),
        new Luld("TSLA", 250.5, 230.25, "B", NANOS, "V"),
        new Luld("TSLA", 0, 0, null, null, null),
        new Imbalance("IBM", 141.2, NANOS, "A"),
        new Imbalance("IBM", Double.NaN, null, null),
        new TradeCorrection("AAPL", "V", 7, 189.1, 10, List.of("@"), 8, 189.2, 11, List.of(),
            NANOS, "C"),
        new TradeCorrection("AAPL", null, -1, -0.0, 0, List.of(), Long.MAX_VALUE, 1e308, 1,
            List.of("é"), null, null),
        new TradeCancel("AAPL", 7, "V", 189.1, 10, TradeCancel.CANCEL, NANOS, "C"),
        new TradeCancel("AAPL", 0, null, 0, 0, null, null, null),
        new CryptoTrade("BTC/USD", 1234567890123456789L, 97000.12, 0.00012345, NANOS, "B"),
        new CryptoTrade("ETH/€", -1, 1e-9, 1e9, OLD, null),
        new CryptoQuote("BTC/USD", 96999.5, 0.5, 97000.5, 1.25, NANOS),
        new CryptoQuote("BTC/USD", 0, 0, 0, 0, null),
        new CryptoBar(Bar.Kind.MINUTE, "BTC/USD", 1, 2, 0.5, 1.5, 0.001, 3, 1.2, NANOS),
        new CryptoBar(Bar.Kind.DAILY, "BTC/USD", 0, 0, 0, 0, Double.MIN_VALUE, Long.MAX_VALUE, 0,
            null),
        new OrderBook("BTC/USD", NANOS, List.of(new OrderBook.Level(96999.5, 0.5),
            new OrderBook.Level(96999, 0)), List.of(new OrderBook.Level(97000.5, 1.25)), true),
        new OrderBook("BTC/USD", null, List.of(), List.of(), false),
        new TradeUpdate("AAPL", "fill", NANOS, "{\"event\":\"fill\",\"qty\":\"10\",\"x\":\"ü\"}"),
        new TradeUpdate(null, null, null, null),
        new Published("signals.alpha", "producer-1", "{\"v\":[1,2,3],\"s\":\"日本\"}", NANOS),
        new Published("signals.alpha", null, "null", OLD),
        new PassThrough("p", "BTC-PERP", NANOS, fields),
        new PassThrough("zz", "", null, Map.of()));
  }

  /** Every entry-level payload: batches, a backfill, both outage events and a feed change. */
  static List<Object> payloads() {
    Interest interest = Interest.of(Map.of(Channel.TRADES, List.of("AAPL", "*"),
        Channel.QUOTES, List.of("MSFT"), Channel.ORDERBOOKS, List.of("BTC/USD")));
    List<Object> payloads = new ArrayList<>();
    payloads.add(new MarketDataReceived("stocks", "iex", events()));
    payloads.add(new MarketDataReceived("crypto/us", null, List.of()));
    payloads.add(new MarketDataRecovered("stocks", events().subList(0, 5)));
    payloads.add(new UpstreamInterrupted("stocks", "stocks-1", "sip", NANOS,
        "socket closed: 1006", interest));
    payloads.add(new UpstreamInterrupted("stocks", null, null, null, null, Interest.none()));
    payloads.add(new UpstreamRestored("stocks", "stocks-1", "iex", NANOS, NANOS.plusNanos(1),
        interest, Interest.of(Channel.TRADES, "AAPL")));
    payloads.add(new UpstreamRestored("stocks", "c", "f", OLD, null, interest, Interest.none()));
    payloads.add(new FeedSelected("stocks", "stocks-1", "iex", "sip refused: 409", NANOS));
    payloads.add(new FeedSelected("stocks", null, null, null, null));
    return payloads;
  }
}
