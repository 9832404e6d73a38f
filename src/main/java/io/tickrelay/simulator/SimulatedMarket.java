package io.tickrelay.simulator;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.marketdata.Trade;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random-walk prices for a universe of real US tickers (and Alpaca's test symbol FAKEPACA), with
 * trades, quotes and minute bars shaped like Alpaca's. Not thread-safe: one ticking thread owns it.
 */
final class SimulatedMarket {

  /** Alpaca's always-on test symbol, served only on {@code /v2/test} (upstream-protocols.md §1.9). */
  static final String TEST_SYMBOL = "FAKEPACA";

  /** Tickers with plausible starting prices and their SIP tape (A: NYSE, B: other, C: Nasdaq). */
  private static final Map<String, Object[]> UNIVERSE = new LinkedHashMap<>();

  static {
    Object[][] rows = {
      {"AAPL", 228.50, "C"}, {"MSFT", 415.20, "C"}, {"NVDA", 135.40, "C"}, {"AMZN", 198.10, "C"},
      {"GOOGL", 172.30, "C"}, {"GOOG", 173.90, "C"}, {"META", 560.80, "C"}, {"TSLA", 248.60, "C"},
      {"AVGO", 165.70, "C"}, {"AMD", 152.30, "C"}, {"NFLX", 705.40, "C"}, {"INTC", 22.80, "C"},
      {"CSCO", 57.90, "C"}, {"ADBE", 505.10, "C"}, {"QQQ", 490.20, "C"}, {"COST", 905.50, "C"},
      {"SPY", 585.30, "B"}, {"IWM", 225.60, "B"}, {"DIA", 432.10, "B"}, {"JPM", 222.40, "A"},
      {"BAC", 41.70, "A"}, {"WMT", 84.20, "A"}, {"XOM", 119.80, "A"}, {"JNJ", 155.30, "A"},
      {"V", 290.60, "A"}, {"MA", 510.20, "A"}, {"KO", 63.40, "A"}, {"DIS", 98.70, "A"},
      {"BRK.B", 463.10, "A"}, {"F", 10.40, "A"},
    };
    for (Object[] row : rows) {
      UNIVERSE.put((String) row[0], new Object[] {row[1], row[2]});
    }
  }

  private static final String[] EXCHANGES = {"V", "P", "Q", "N", "K", "Z", "D", "X"};

  private final Random random;
  private final Map<String, Instrument> instruments = new LinkedHashMap<>();

  SimulatedMarket(long seed) {
    random = new Random(seed);
    UNIVERSE.forEach((symbol, row) -> instruments.put(symbol, new Instrument(symbol, (double) row[0], (String) row[1])));
    instruments.put(TEST_SYMBOL, new Instrument(TEST_SYMBOL, 134.00, "A"));
  }

  /** The symbols a feed serves: FAKEPACA on the test feed, the stock universe elsewhere. */
  static Set<String> symbolsOf(String feed) {
    return "test".equals(feed) ? Set.of(TEST_SYMBOL) : UNIVERSE.keySet();
  }

  double lastPrice(String symbol) {
    return instruments.get(symbol).price;
  }

  /** One trade and one quote for each of {@code symbols} that the market knows. */
  List<MarketEvent> tick(Collection<String> symbols, Instant now) {
    List<MarketEvent> events = new ArrayList<>(symbols.size() * 2);
    for (String symbol : symbols) {
      Instrument instrument = instruments.get(symbol);
      if (instrument != null) {
        instrument.step(now, events);
      }
    }
    return events;
  }

  /** Minute bars for every symbol that traded since the last call, stamped with the bar start. */
  List<Bar> closeBars(Instant barStart) {
    List<Bar> bars = new ArrayList<>();
    for (Instrument instrument : instruments.values()) {
      Bar bar = instrument.closeBar(barStart);
      if (bar != null) {
        bars.add(bar);
      }
    }
    return bars;
  }

  private final class Instrument {
    private final String symbol;
    private final String tape;
    private double price;
    private long nextTradeId = 1;
    private double open;
    private double high;
    private double low;
    private long volume;
    private long trades;
    private double notional;

    Instrument(String symbol, double price, String tape) {
      this.symbol = symbol;
      this.price = price;
      this.tape = tape;
    }

    void step(Instant now, List<MarketEvent> out) {
      // geometric random walk, about 1.5 bp per step, on a one-cent grid
      price = Math.max(0.01, cents(price * Math.exp(random.nextGaussian() * 0.00015)));
      long size = 1 + (random.nextInt(10) == 0 ? 100L * (1 + random.nextInt(10)) : random.nextInt(100));
      String exchange = EXCHANGES[random.nextInt(EXCHANGES.length)];
      out.add(new Trade(symbol, nextTradeId++, exchange, price, size, now, List.of("@"), tape));
      double halfSpread = 0.01 * (1 + random.nextInt(3));
      out.add(
          new Quote(
              symbol,
              EXCHANGES[random.nextInt(EXCHANGES.length)],
              cents(price - halfSpread),
              100L * (1 + random.nextInt(8)),
              EXCHANGES[random.nextInt(EXCHANGES.length)],
              cents(price + halfSpread),
              100L * (1 + random.nextInt(8)),
              now,
              List.of("R"),
              tape));
      if (trades == 0) {
        open = high = low = price;
      }
      high = Math.max(high, price);
      low = Math.min(low, price);
      volume += size;
      trades++;
      notional += price * size;
    }

    Bar closeBar(Instant barStart) {
      if (trades == 0) {
        return null;
      }
      Bar bar =
          new Bar(Bar.Kind.MINUTE, symbol, open, high, low, price, volume, trades,
              Math.round(notional / volume * 10_000) / 10_000.0, barStart);
      trades = 0;
      volume = 0;
      notional = 0;
      return bar;
    }
  }

  private static double cents(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
