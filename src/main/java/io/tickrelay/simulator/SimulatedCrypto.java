package io.tickrelay.simulator;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Random-walk crypto pairs shaped like Alpaca's v1beta3 data (upstream-protocols.md §1.5):
 * fractional sizes, taker side, trade ids above 2^53, and a five-level order book that changes by
 * deltas (size 0 removes a level). Not thread-safe: one ticking thread owns it.
 */
final class SimulatedCrypto {

  private static final int DEPTH = 5;

  /** Pairs with plausible starting prices; slash form as on Alpaca's crypto stream. */
  private static final Map<String, Double> PAIRS = new LinkedHashMap<>();

  static {
    Object[][] rows = {
      {"BTC/USD", 71859.53}, {"ETH/USD", 3950.10}, {"SOL/USD", 182.35}, {"AVAX/USD", 47.299},
      {"LTC/USD", 85.42}, {"DOGE/USD", 0.16512}, {"LINK/USD", 18.47}, {"UNI/USD", 11.23},
      {"AAVE/USD", 165.80}, {"BCH/USD", 480.15}, {"XRP/USD", 0.6231}, {"CRV/USD", 0.7904},
      {"DOT/USD", 7.412}, {"USDT/USD", 1.0002}, {"BTC/USDT", 71871.20}, {"ETH/BTC", 0.05497},
    };
    for (Object[] row : rows) {
      PAIRS.put((String) row[0], (Double) row[1]);
    }
  }

  /** Every pair the crypto locations serve. */
  static final Set<String> SYMBOLS = Collections.unmodifiableSet(PAIRS.keySet());

  private final Random random;
  private final Map<String, Pair> pairs = new LinkedHashMap<>();

  SimulatedCrypto(long seed) {
    random = new Random(seed);
    int index = 0;
    for (Map.Entry<String, Double> pair : PAIRS.entrySet()) {
      pairs.put(pair.getKey(), new Pair(pair.getKey(), pair.getValue(), index++));
    }
  }

  double lastPrice(String symbol) {
    return pairs.get(symbol).price;
  }

  /** A trade, a quote and an order-book delta for each of {@code symbols} that is a known pair. */
  List<MarketEvent> tick(Collection<String> symbols, Instant now) {
    List<MarketEvent> events = new ArrayList<>();
    for (String symbol : symbols) {
      Pair pair = pairs.get(symbol);
      if (pair != null) {
        pair.step(now, events);
      }
    }
    return events;
  }

  /** The whole book of {@code symbol} as a reset message, what a new book subscriber gets first. */
  OrderBook book(String symbol, Instant now) {
    Pair pair = pairs.get(symbol);
    return new OrderBook(symbol, now, levels(pair.bids), levels(pair.asks), true);
  }

  /** Minute bars for every pair that traded since the last call, stamped with the bar start. */
  List<CryptoBar> closeBars(Instant barStart) {
    List<CryptoBar> bars = new ArrayList<>();
    for (Pair pair : pairs.values()) {
      CryptoBar bar = pair.closeBar(barStart);
      if (bar != null) {
        bars.add(bar);
      }
    }
    return bars;
  }

  private final class Pair {
    private final String symbol;
    private final int scale;
    private final double lotSize;
    private double price;
    private long nextTradeId;
    private NavigableMap<Double, Double> bids = new TreeMap<>(Collections.reverseOrder());
    private NavigableMap<Double, Double> asks = new TreeMap<>();
    private double open;
    private double high;
    private double low;
    private double volume;
    private long trades;
    private double notional;

    Pair(String symbol, double price, int index) {
      this.symbol = symbol;
      this.price = price;
      // about six significant digits, at least cents
      this.scale = Math.max(2, 5 - (int) Math.floor(Math.log10(price)));
      // sizes worth up to about 5,000 USD-equivalent units of the quote currency
      this.lotSize = 5_000 / Math.max(price, 0.0001);
      // Alpaca's crypto trade ids exceed 2^53 (§1.5); clients that parse them as doubles break here
      this.nextTradeId = 3_447_222_699_101_865_076L + index * 1_000_000_000_000L;
    }

    void step(Instant now, List<MarketEvent> out) {
      price = round(price * Math.exp(random.nextGaussian() * 0.0002), scale);
      double size = size();
      out.add(new CryptoTrade(symbol, nextTradeId++, price, size, now, random.nextBoolean() ? "B" : "S"));
      double halfSpread = Math.max(Math.pow(10, -scale), price * 0.0001 * (1 + random.nextInt(3)));
      double bid = round(price - halfSpread, scale);
      double ask = round(price + halfSpread, scale);
      stepBook(bid, ask, halfSpread, now, out);
      out.add(new CryptoQuote(symbol, bid, bids.firstEntry().getValue(), ask, asks.firstEntry().getValue(), now));
      if (trades == 0) {
        open = high = low = price;
      }
      high = Math.max(high, price);
      low = Math.min(low, price);
      volume += size;
      trades++;
      notional += price * size;
    }

    /** Re-centres the book on the new quote and changes one level; emits what changed. */
    private void stepBook(double bid, double ask, double step, Instant now, List<MarketEvent> out) {
      NavigableMap<Double, Double> nextBids = new TreeMap<>(Collections.reverseOrder());
      NavigableMap<Double, Double> nextAsks = new TreeMap<>();
      for (int k = 0; k < DEPTH; k++) {
        double b = round(bid - k * step, scale);
        double a = round(ask + k * step, scale);
        nextBids.put(b, bids.containsKey(b) ? bids.get(b) : size());
        nextAsks.put(a, asks.containsKey(a) ? asks.get(a) : size());
      }
      NavigableMap<Double, Double> refreshed = random.nextBoolean() ? nextBids : nextAsks;
      Double level = new ArrayList<>(refreshed.keySet()).get(random.nextInt(refreshed.size()));
      refreshed.put(level, size());
      List<OrderBook.Level> bidChanges = changes(bids, nextBids);
      List<OrderBook.Level> askChanges = changes(asks, nextAsks);
      bids = nextBids;
      asks = nextAsks;
      if (!bidChanges.isEmpty() || !askChanges.isEmpty()) {
        out.add(new OrderBook(symbol, now, bidChanges, askChanges, false));
      }
    }

    private double size() {
      return round(lotSize * (0.01 + random.nextDouble()), 8);
    }

    CryptoBar closeBar(Instant barStart) {
      if (trades == 0) {
        return null;
      }
      CryptoBar bar =
          new CryptoBar(Bar.Kind.MINUTE, symbol, open, high, low, price, round(volume, 8), trades,
              round(notional / volume, scale + 2), barStart);
      trades = 0;
      volume = 0;
      notional = 0;
      return bar;
    }
  }

  /** Levels that are new or resized in {@code next}, and removed ones with size 0 (§1.5). */
  private static List<OrderBook.Level> changes(Map<Double, Double> before, Map<Double, Double> next) {
    List<OrderBook.Level> changes = new ArrayList<>();
    next.forEach((price, size) -> {
      if (!Objects.equals(before.get(price), size)) {
        changes.add(new OrderBook.Level(price, size));
      }
    });
    before.keySet().stream()
        .filter(price -> !next.containsKey(price))
        .forEach(price -> changes.add(new OrderBook.Level(price, 0)));
    return changes;
  }

  private static List<OrderBook.Level> levels(Map<Double, Double> side) {
    List<OrderBook.Level> levels = new ArrayList<>(side.size());
    side.forEach((price, size) -> levels.add(new OrderBook.Level(price, size)));
    return levels;
  }

  private static double round(double value, int scale) {
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }
}
