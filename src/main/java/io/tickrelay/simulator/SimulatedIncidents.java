package io.tickrelay.simulator;

import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import io.tickrelay.marketdata.TradingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a real stock tape carries beside trades and quotes, at low rates per symbol: LULD bands,
 * auction imbalances, corrections and cancel/errors of the symbol's recent trades, and now and then
 * a volatility halt with its resumption, in the codes of the symbol's SIP (CTA for tapes A and B,
 * UTP for tape C; Alpaca docs, real-time-stock-pricing-data, "Trading status"). A halted symbol
 * does not trade. Its own random stream, so the trades and quotes of a seed stay what they were.
 * Not thread-safe: the simulator's ticking thread owns it.
 */
final class SimulatedIncidents {

  /** Mean time between two of each, per symbol. */
  static final Duration LULD_EVERY = Duration.ofSeconds(60);
  static final Duration IMBALANCE_EVERY = Duration.ofSeconds(120);
  static final Duration CORRECTION_EVERY = Duration.ofSeconds(300);
  static final Duration CANCEL_EVERY = Duration.ofSeconds(300);
  static final Duration HALT_EVERY = Duration.ofMinutes(30);

  /** Corrected prints get ids of their own, far from the market's per-symbol trade ids. */
  private static final long CORRECTED_IDS_FROM = 1L << 40;
  private static final int RECENT_TRADES = 32;

  private final Random random;
  private final Map<String, Deque<Trade>> recent = new HashMap<>();
  private final Map<String, Halt> halts = new HashMap<>();
  private long nextCorrectedId = CORRECTED_IDS_FROM;
  private Instant last;

  /** A halt in progress: quotes resume half-way (UTP), trading at the end. */
  private record Halt(Instant quotesAt, Instant tradingAt, String tape) {}

  SimulatedIncidents(long seed) {
    random = new Random(seed * 31 + 7);
  }

  boolean halted(String symbol) {
    return halts.containsKey(symbol);
  }

  /**
   * The incidents of one tick: {@code symbols} are the demanded ones, {@code tick} what the market
   * just produced (its trades are what corrections and cancels refer to later).
   */
  List<MarketEvent> after(Collection<String> symbols, List<MarketEvent> tick, Instant now) {
    for (MarketEvent event : tick) {
      if (event instanceof Trade trade && !trade.symbol().equals(SimulatedMarket.TEST_SYMBOL)) {
        Deque<Trade> trades = recent.computeIfAbsent(trade.symbol(), s -> new ArrayDeque<>());
        trades.addLast(trade);
        if (trades.size() > RECENT_TRADES) {
          trades.removeFirst();
        }
      }
    }
    long elapsedNanos = last == null ? 0 : Math.min(Duration.between(last, now).toNanos(), 1_000_000_000L);
    last = now;
    List<MarketEvent> out = new ArrayList<>();
    for (String symbol : symbols) {
      Deque<Trade> trades = recent.get(symbol);
      if (trades != null && !trades.isEmpty()) {
        incidents(symbol, trades, elapsedNanos, now, out);
      }
    }
    return out;
  }

  private void incidents(String symbol, Deque<Trade> trades, long elapsedNanos, Instant now,
      List<MarketEvent> out) {
    Trade lastTrade = trades.peekLast();
    Halt halt = halts.get(symbol);
    if (halt != null) {
      resume(symbol, halt, lastTrade, now, out);
      return;
    }
    if (happens(HALT_EVERY, elapsedNanos)) {
      // real LULD pauses last minutes; a few seconds here, so that a client waiting for a
      // symbol's next trade (a test, a demo) is not left waiting long
      Duration length = Duration.ofSeconds(3 + random.nextInt(6));
      halts.put(symbol, new Halt(now.plus(length.dividedBy(2)), now.plus(length), lastTrade.tape()));
      out.add(utp(lastTrade.tape())
          ? new TradingStatus(symbol, "H", "Trading Halt", "LUDP", "Volatility Trading Pause", now, "C")
          : new TradingStatus(symbol, "2", "Trading Halt", "M", "Volatility Trading Pause", now,
              lastTrade.tape()));
      return;
    }
    if (happens(LULD_EVERY, elapsedNanos)) {
      out.add(band(lastTrade, "A", now));
    }
    if (happens(IMBALANCE_EVERY, elapsedNanos)) {
      out.add(new Imbalance(symbol, cents(lastTrade.price() * (1 + random.nextGaussian() * 0.001)),
          now, lastTrade.tape()));
    }
    if (trades.size() > 1 && happens(CORRECTION_EVERY, elapsedNanos)) {
      Trade original = pick(trades);
      double price = cents(original.price() + (random.nextBoolean() ? 0.01 : -0.01));
      long size = Math.max(1, random.nextBoolean() ? original.size() : original.size() / 2);
      out.add(new TradeCorrection(symbol, original.exchange(), original.id(), original.price(),
          original.size(), original.conditions(), nextCorrectedId++, price, size,
          original.conditions(), now, original.tape()));
    }
    if (trades.size() > 1 && happens(CANCEL_EVERY, elapsedNanos)) {
      Trade cancelled = pick(trades);
      String action = random.nextInt(5) == 0 ? TradeCancel.ERROR : TradeCancel.CANCEL;
      out.add(new TradeCancel(symbol, cancelled.id(), cancelled.exchange(), cancelled.price(),
          cancelled.size(), action, now, cancelled.tape()));
    }
  }

  private void resume(String symbol, Halt halt, Trade lastTrade, Instant now, List<MarketEvent> out) {
    boolean utp = utp(halt.tape());
    if (utp && halt.quotesAt() != null && !now.isBefore(halt.quotesAt())) {
      out.add(new TradingStatus(symbol, "Q", "Quotation Resumption", "LUDP",
          "Volatility Trading Pause", now, "C"));
      halts.put(symbol, new Halt(null, halt.tradingAt(), halt.tape()));
    }
    if (!now.isBefore(halt.tradingAt())) {
      halts.remove(symbol);
      out.add(utp
          ? new TradingStatus(symbol, "T", "Trading Resumption", "LUDP", "Volatility Trading Pause",
              now, "C")
          : new TradingStatus(symbol, "3", "Resume", "M", "Volatility Trading Pause", now, halt.tape()));
      out.add(band(lastTrade, "B", now)); // the band is republished around the reopening price
    }
  }

  /** Tape C is UTP's (Nasdaq-listed); A and B are CTA's. */
  private static boolean utp(String tape) {
    return "C".equals(tape);
  }

  /** LULD tier 1 style bands, 5 % either side of the reference price. */
  private static Luld band(Trade reference, String indicator, Instant now) {
    return new Luld(reference.symbol(), cents(reference.price() * 1.05), cents(reference.price() * 0.95),
        indicator, now, reference.tape());
  }

  private boolean happens(Duration every, long elapsedNanos) {
    return elapsedNanos > 0 && random.nextDouble() < (double) elapsedNanos / every.toNanos();
  }

  /** An older trade, not the one just printed, taken out so that nothing refers to it twice. */
  private Trade pick(Deque<Trade> trades) {
    Trade picked = trades.stream().skip(random.nextInt(trades.size() - 1)).findFirst().orElseThrow();
    trades.remove(picked);
    return picked;
  }

  private static double cents(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
