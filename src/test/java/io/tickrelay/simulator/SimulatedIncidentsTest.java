package io.tickrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import io.tickrelay.marketdata.TradingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulator's tape beside trades and quotes, over three simulated hours of 100 ms ticks, the
 * way {@link AlpacaSimulator} drives it: every type appears, at low rates, corrections and cancels
 * name earlier trades of their own symbol, and a halted symbol does not trade until it resumes.
 */
class SimulatedIncidentsTest {

  private static final Instant START = Instant.parse("2024-06-11T14:30:00Z");
  private static final Duration TICK = Duration.ofMillis(100);
  private static final int TICKS = (int) (Duration.ofHours(3).toMillis() / TICK.toMillis());
  private static final List<String> SYMBOLS = List.of("AAPL", "JPM", "SPY", "FAKEPACA");

  private static List<MarketEvent> run(long seed) {
    SimulatedMarket market = new SimulatedMarket(seed);
    SimulatedIncidents incidents = new SimulatedIncidents(seed);
    List<MarketEvent> all = new ArrayList<>();
    for (int i = 0; i < TICKS; i++) {
      Instant now = START.plus(TICK.multipliedBy(i));
      Set<String> trading = new LinkedHashSet<>(SYMBOLS);
      trading.removeIf(incidents::halted);
      List<MarketEvent> tick = new ArrayList<>(market.tick(trading, now));
      tick.addAll(incidents.after(SYMBOLS, tick, now));
      all.addAll(tick);
    }
    return all;
  }

  @Test
  void everyTypeAppearsAtLowRates() {
    Map<Class<?>, Integer> counts = new HashMap<>();
    for (MarketEvent event : run(42)) {
      counts.merge(event.getClass(), 1, Integer::sum);
    }
    int stockSymbolHours = 3 * 3;
    // means: LULD 60/h, imbalance 30/h, correction and cancel 12/h, halts 2/h, per symbol
    assertBetween(counts.get(Luld.class), stockSymbolHours * 30, stockSymbolHours * 90);
    assertBetween(counts.get(Imbalance.class), stockSymbolHours * 15, stockSymbolHours * 45);
    assertBetween(counts.get(TradeCorrection.class), stockSymbolHours * 5, stockSymbolHours * 20);
    assertBetween(counts.get(TradeCancel.class), stockSymbolHours * 5, stockSymbolHours * 20);
    assertBetween(counts.get(TradingStatus.class), 2, stockSymbolHours * 10);
    assertTrue(counts.get(Trade.class) > 100 * counts.get(TradeCancel.class), counts.toString());
  }

  private static void assertBetween(Integer count, int low, int high) {
    assertTrue(count != null && count >= low && count <= high, count + " not in " + low + ".." + high);
  }

  @Test
  void correctionsAndCancelsNameEarlierTradesOfTheirSymbolOnce() {
    Map<String, Map<Long, Trade>> traded = new HashMap<>();
    Set<String> referred = new HashSet<>();
    for (MarketEvent event : run(42)) {
      if (event instanceof Trade t) {
        traded.computeIfAbsent(t.symbol(), s -> new HashMap<>()).put(t.id(), t);
      } else if (event instanceof TradeCorrection c) {
        Trade original = traded.get(c.symbol()).get(c.originalId());
        assertEquals(original.price(), c.originalPrice(), c.toString());
        assertEquals(original.size(), c.originalSize(), c.toString());
        assertEquals(original.exchange(), c.exchange(), c.toString());
        assertTrue(Math.abs(c.correctedPrice() - c.originalPrice()) < 0.011, c.toString());
        assertTrue(referred.add(c.symbol() + "/" + c.originalId()), "corrected once: " + c);
      } else if (event instanceof TradeCancel x) {
        Trade original = traded.get(x.symbol()).get(x.id());
        assertEquals(original.price(), x.price(), x.toString());
        assertTrue(x.action().equals("C") || x.action().equals("E"), x.toString());
        assertTrue(referred.add(x.symbol() + "/" + x.id()), "cancelled once: " + x);
      }
    }
    assertFalse(referred.isEmpty());
    assertFalse(referred.stream().anyMatch(r -> r.startsWith("FAKEPACA/")), "not on the test feed");
  }

  @Test
  void aHaltedSymbolDoesNotTradeUntilItsResumption() {
    Map<String, Boolean> halted = new HashMap<>();
    int halts = 0;
    int resumptions = 0;
    for (MarketEvent event : run(42)) {
      if (event instanceof TradingStatus s) {
        switch (s.statusCode()) {
          case "H", "2" -> {
            assertFalse(halted.getOrDefault(s.symbol(), false), "halted twice: " + s);
            halted.put(s.symbol(), true);
            halts++;
            // codes of the symbol's SIP: UTP (tape C) or CTA (tapes A, B)
            assertEquals(s.tape().equals("C") ? "LUDP" : "M", s.reasonCode(), s.toString());
          }
          case "T", "3" -> {
            assertTrue(halted.getOrDefault(s.symbol(), false), "resumed unhalted: " + s);
            halted.put(s.symbol(), false);
            resumptions++;
          }
          case "Q" -> assertTrue(halted.get(s.symbol()), "quotes resume during a halt: " + s);
          default -> throw new AssertionError("unexpected status " + s);
        }
      } else if (event instanceof Trade t) {
        assertFalse(halted.getOrDefault(t.symbol(), false), "traded while halted: " + t);
      }
    }
    assertTrue(halts > 0 && resumptions >= halts - SYMBOLS.size(), halts + " / " + resumptions);
  }

  @Test
  void theTradesAndQuotesOfASeedStayWhatTheyWere() {
    // the incidents draw from their own random stream: the market's walk is unchanged until a halt
    List<MarketEvent> plain = new ArrayList<>();
    SimulatedMarket market = new SimulatedMarket(42);
    for (int i = 0; i < 300; i++) {
      plain.addAll(market.tick(SYMBOLS, START.plus(TICK.multipliedBy(i))));
    }
    List<MarketEvent> withIncidents =
        run(42).stream().filter(e -> e instanceof Trade || e instanceof io.tickrelay.marketdata.Quote)
            .limit(plain.size()).toList();
    assertEquals(plain, withIncidents);
  }
}
