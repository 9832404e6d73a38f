package io.tickrelay.simulator;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated market's recent past: the last {@code perSymbol} trades and minute bars of each
 * symbol it generated, delivered or not (a muted simulator keeps trading), so its REST face can
 * serve them as Alpaca's history does. Each event gets a sequence number that pages continue
 * after. Thread-safe: the ticking thread records, request threads read.
 */
public final class SimulatedHistory {

  /** Which records a query wants. */
  public enum Kind {
    TRADES,
    BARS
  }

  /** One kept event and its place in the recording order. */
  public record Entry(long seq, MarketEvent event) {}

  private final int perSymbol;
  private final Map<String, Deque<Entry>> trades = new HashMap<>();
  private final Map<String, Deque<Entry>> bars = new HashMap<>();
  private long seq;

  public SimulatedHistory(int perSymbol) {
    this.perSymbol = perSymbol;
  }

  /** Keeps the trades and minute bars among {@code events}; everything else is ignored. */
  public synchronized void record(Collection<? extends MarketEvent> events) {
    for (MarketEvent event : events) {
      Map<String, Deque<Entry>> into = null;
      if (event instanceof Trade || event instanceof CryptoTrade) {
        into = trades;
      } else if (event instanceof Bar bar && bar.kind() == Bar.Kind.MINUTE
          || event instanceof CryptoBar cryptoBar && cryptoBar.kind() == Bar.Kind.MINUTE) {
        into = bars;
      }
      if (into != null) {
        Deque<Entry> kept = into.computeIfAbsent(event.symbol(), s -> new ArrayDeque<>());
        kept.addLast(new Entry(++seq, event));
        if (kept.size() > perSymbol) {
          kept.removeFirst();
        }
      }
    }
  }

  /**
   * Up to {@code limit} entries of {@code symbol} with a timestamp in {@code [start, end]} (both
   * inclusive, as Alpaca's are) recorded after {@code afterSeq}, in recording (time) order.
   */
  public synchronized List<Entry> of(Kind kind, String symbol, Instant start, Instant end, long afterSeq, int limit) {
    Deque<Entry> kept = (kind == Kind.TRADES ? trades : bars).get(symbol);
    List<Entry> found = new ArrayList<>();
    if (kept == null) {
      return found;
    }
    for (Entry entry : kept) {
      Instant t = entry.event().timestamp();
      if (entry.seq() > afterSeq && !t.isBefore(start) && !t.isAfter(end)) {
        found.add(entry);
        if (found.size() == limit) {
          break;
        }
      }
    }
    return found;
  }
}
