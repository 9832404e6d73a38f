package io.tickrelay.binance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random-walk prices for the simulator's listed symbols, as Binance payloads (§2.4): trades with
 * strictly increasing per-symbol ids, book tickers with increasing update ids {@code u}, klines
 * built from those trades. Not thread-safe: the simulator's ticking thread owns it.
 */
final class BinanceMarket {

  private static final Map<String, Double> START_PRICES = Map.of(
      "BTCUSDT", 97_000.0, "ETHUSDT", 3_600.0, "BNBUSDT", 650.0, "SOLUSDT", 230.0,
      "XRPUSDT", 2.3, "DOGEUSDT", 0.4, "ETHBTC", 0.037, "BTCUSDC", 97_010.0,
      "BNBFDUSD", 650.5, "BTCEUR", 91_000.0);

  private final Random random;
  private final Duration barInterval;
  private final Map<String, Instrument> instruments = new HashMap<>();

  BinanceMarket(long seed, Collection<String> listed, Duration barInterval) {
    this.random = new Random(seed);
    this.barInterval = barInterval;
    for (String symbol : listed) {
      // ids start at an arbitrary point, as on a venue that has traded before
      long firstId = 1_000_000L + random.nextInt(1_000_000);
      instruments.put(symbol, new Instrument(symbol, START_PRICES.getOrDefault(symbol, 100.0), firstId));
    }
  }

  boolean listed(String symbol) {
    return instruments.containsKey(symbol);
  }

  /** The next trade of {@code symbol} as a {@code trade} payload, then its book ticker. */
  List<String> trade(String symbol, Instant now) {
    Instrument i = instruments.get(symbol);
    long ms = now.toEpochMilli();
    i.rollBar(ms, barInterval);
    i.price = Math.max(i.price * (1 + (random.nextGaussian() * 0.0005)), 0.00000001);
    double quantity = Math.max(0.00001, random.nextDouble() * 2);
    boolean buyerIsMaker = random.nextBoolean();
    long id = ++i.lastTradeId;
    i.bar.add(i.price, quantity, id);
    String trade = "{\"e\":\"trade\",\"E\":" + ms + ",\"s\":\"" + symbol + "\",\"t\":" + id
        + ",\"p\":\"" + decimal(i.price) + "\",\"q\":\"" + decimal(quantity) + "\",\"T\":" + ms
        + ",\"m\":" + buyerIsMaker + ",\"M\":true}";
    double half = i.price * 0.00005;
    String ticker = "{\"u\":" + (++i.lastUpdateId) + ",\"s\":\"" + symbol + "\",\"b\":\""
        + decimal(i.price - half) + "\",\"B\":\"" + decimal(random.nextDouble() * 5) + "\",\"a\":\""
        + decimal(i.price + half) + "\",\"A\":\"" + decimal(random.nextDouble() * 5) + "\"}";
    return List.of(trade, ticker);
  }

  /**
   * The kline of {@code symbol} as it stands: a closed one ({@code x:true}) followed by the start
   * of the next when its interval is over, otherwise the open kline.
   */
  List<String> klines(String symbol, Instant now) {
    Instrument i = instruments.get(symbol);
    long ms = now.toEpochMilli();
    i.rollBar(ms, barInterval);
    List<String> out = new ArrayList<>();
    for (KlineBar closed : i.closedBars) {
      out.add(closed.json(symbol, ms, true, barInterval));
    }
    i.closedBars.clear();
    out.add(i.bar.json(symbol, ms, false, barInterval));
    return out;
  }

  /** The last trade id handed out for {@code symbol} and the first one it had. */
  BinanceSimulator.TradeIds tradeIds(String symbol) {
    Instrument i = instruments.get(symbol);
    return i == null ? new BinanceSimulator.TradeIds(0, 0) : new BinanceSimulator.TradeIds(i.firstTradeId, i.lastTradeId);
  }

  static String decimal(double value) {
    return BigDecimal.valueOf(value).setScale(8, RoundingMode.HALF_UP).toPlainString();
  }

  /** One symbol's state. */
  private static final class Instrument {
    final String symbol;
    final long firstTradeId;
    double price;
    long lastTradeId;
    long lastUpdateId;
    KlineBar bar;
    /** Bars that ended since klines were last pushed, to be sent with {@code x:true}. */
    final List<KlineBar> closedBars = new ArrayList<>();

    Instrument(String symbol, double price, long firstId) {
      this.symbol = symbol;
      this.price = price;
      this.firstTradeId = firstId + 1;
      this.lastTradeId = firstId;
      this.lastUpdateId = firstId * 7;
    }

    void rollBar(long nowMs, Duration interval) {
      long length = interval.toMillis();
      long openTime = nowMs - Math.floorMod(nowMs, length);
      if (bar == null || bar.openTime != openTime) {
        if (bar != null) {
          closedBars.clear(); // only the bar that just ended matters to a kline subscriber
          closedBars.add(bar);
        }
        bar = new KlineBar(openTime, price, lastTradeId);
      }
    }
  }

  /** The kline being built. */
  private static final class KlineBar {
    final long openTime;
    final double open;
    double high;
    double low;
    double close;
    double volume;
    double quoteVolume;
    long trades;
    long firstId;
    long lastId;

    KlineBar(long openTime, double price, long lastTradeId) {
      this.openTime = openTime;
      this.open = price;
      this.high = price;
      this.low = price;
      this.close = price;
      this.firstId = -1;
      this.lastId = -1;
    }

    void add(double price, double quantity, long id) {
      high = Math.max(high, price);
      low = Math.min(low, price);
      close = price;
      volume += quantity;
      quoteVolume += price * quantity;
      trades++;
      if (firstId < 0) {
        firstId = id;
      }
      lastId = id;
    }

    String json(String symbol, long eventMs, boolean closed, Duration interval) {
      return "{\"e\":\"kline\",\"E\":" + eventMs + ",\"s\":\"" + symbol + "\",\"k\":{\"t\":" + openTime
          + ",\"T\":" + (openTime + interval.toMillis() - 1) + ",\"s\":\"" + symbol
          + "\",\"i\":\"1m\",\"f\":" + firstId + ",\"L\":" + lastId + ",\"o\":\"" + decimal(open)
          + "\",\"c\":\"" + decimal(close) + "\",\"h\":\"" + decimal(high) + "\",\"l\":\""
          + decimal(low) + "\",\"v\":\"" + decimal(volume) + "\",\"n\":" + trades + ",\"x\":"
          + closed + ",\"q\":\"" + decimal(quoteVolume) + "\",\"V\":\"" + decimal(volume / 2)
          + "\",\"Q\":\"" + decimal(quoteVolume / 2) + "\",\"B\":\"0\"}}";
    }
  }
}
