package io.tickrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The simulated crypto pairs, deterministic by seed: trades, quotes, book deltas and bars agree. */
class SimulatedCryptoTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void deltasAppliedToTheResetBookTrackTheQuoteAndTradesAreFractionalWithLargeIds() {
    SimulatedCrypto market = new SimulatedCrypto(7);
    market.tick(List.of("BTC/USD"), NOW); // a first step builds the book
    OrderBook reset = market.book("BTC/USD", NOW);
    assertTrue(reset.reset());
    NavigableMap<Double, Double> bids = side(reset.bids(), true);
    NavigableMap<Double, Double> asks = side(reset.asks(), false);
    long lastId = 0;
    double volume = 0;
    int fractional = 0;
    for (int i = 0; i < 200; i++) {
      for (MarketEvent event : market.tick(List.of("BTC/USD", "NOT/APAIR"), NOW)) {
        assertEquals("BTC/USD", event.symbol());
        if (event instanceof CryptoTrade trade) {
          assertTrue(trade.id() > lastId && trade.id() > (1L << 53), "increasing int64 ids");
          lastId = trade.id();
          assertTrue(trade.size() > 0);
          fractional += trade.size() != Math.rint(trade.size()) ? 1 : 0;
          volume += trade.size();
        } else if (event instanceof OrderBook delta) {
          assertFalse(delta.reset());
          apply(bids, delta.bids());
          apply(asks, delta.asks());
        } else if (event instanceof CryptoQuote quote) {
          assertEquals(quote.bidPrice(), bids.firstKey());
          assertEquals(quote.bidSize(), bids.firstEntry().getValue());
          assertEquals(quote.askPrice(), asks.firstKey());
          assertEquals(quote.askSize(), asks.firstEntry().getValue());
          assertTrue(bids.firstKey() < asks.firstKey(), "the book is not crossed");
        }
      }
    }
    assertEquals(200, fractional, "every size fractional");
    List<CryptoBar> bars = market.closeBars(NOW);
    assertEquals(1, bars.size());
    CryptoBar bar = bars.get(0);
    assertEquals(Bar.Kind.MINUTE, bar.kind());
    assertEquals(201, bar.tradeCount());
    assertTrue(bar.low() <= bar.vwap() && bar.vwap() <= bar.high(), bar.toString());
    assertTrue(bar.volume() > volume, "the first step's trade counts too");
    assertEquals(List.of(), market.closeBars(NOW), "nothing traded since");
  }

  private static NavigableMap<Double, Double> side(List<OrderBook.Level> levels, boolean bids) {
    NavigableMap<Double, Double> side = bids ? new TreeMap<>(Collections.reverseOrder()) : new TreeMap<>();
    levels.forEach(level -> side.put(level.price(), level.size()));
    assertEquals(5, side.size());
    return side;
  }

  private static void apply(NavigableMap<Double, Double> side, List<OrderBook.Level> levels) {
    for (OrderBook.Level level : levels) {
      if (level.size() == 0) {
        assertTrue(side.remove(level.price()) != null, "only existing levels are removed");
      } else {
        side.put(level.price(), level.size());
      }
    }
    assertEquals(5, side.size(), "five levels a side");
  }
}
