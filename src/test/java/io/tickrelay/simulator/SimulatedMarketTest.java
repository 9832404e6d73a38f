package io.tickrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.marketdata.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The simulator's random walk: deterministic per seed, shaped like Alpaca's data. */
class SimulatedMarketTest {

  private static final Instant START = Instant.parse("2024-06-11T14:30:00Z");
  private static final List<String> SYMBOLS = List.of("AAPL", "F", "BRK.B", "FAKEPACA");

  /** {@code steps} ticks, one millisecond apart, of {@code symbols}. */
  private static List<MarketEvent> run(SimulatedMarket market, List<String> symbols, int steps) {
    List<MarketEvent> events = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      events.addAll(market.tick(symbols, START.plusMillis(i)));
    }
    return events;
  }

  private static boolean onCentGrid(double price) {
    return Math.abs(price * 100 - Math.rint(price * 100)) < 1e-6;
  }

  @Test
  void sameSeedGivesTheSameEvents() {
    List<MarketEvent> first = run(new SimulatedMarket(7), SYMBOLS, 200);
    List<MarketEvent> second = run(new SimulatedMarket(7), SYMBOLS, 200);
    assertEquals(first, second);
    assertEquals(SYMBOLS.size() * 2 * 200, first.size());
    assertNotEquals(first, run(new SimulatedMarket(8), SYMBOLS, 200));
  }

  @Test
  void pricesArePositiveOnACentGridWithBidBelowAsk() {
    for (MarketEvent event : run(new SimulatedMarket(42), SYMBOLS, 2000)) {
      if (event instanceof Trade trade) {
        assertTrue(trade.price() > 0, trade::toString);
        assertTrue(onCentGrid(trade.price()), trade::toString);
        assertTrue(trade.size() > 0, trade::toString);
      } else if (event instanceof Quote quote) {
        assertTrue(quote.bidPrice() > 0, quote::toString);
        assertTrue(quote.bidPrice() < quote.askPrice(), quote::toString);
        assertTrue(onCentGrid(quote.bidPrice()) && onCentGrid(quote.askPrice()), quote::toString);
        assertTrue(quote.bidSize() > 0 && quote.askSize() > 0, quote::toString);
      }
    }
  }

  @Test
  void quotesBracketTheLastTrade() {
    List<MarketEvent> events = run(new SimulatedMarket(3), List.of("AAPL"), 500);
    for (int i = 0; i < events.size(); i += 2) {
      Trade trade = (Trade) events.get(i);
      Quote quote = (Quote) events.get(i + 1);
      assertEquals(trade.symbol(), quote.symbol());
      assertTrue(
          quote.bidPrice() < trade.price() && trade.price() < quote.askPrice(), quote::toString);
    }
  }

  @Test
  void tradeIdsIncreasePerSymbol() {
    Map<String, Long> lastId = new HashMap<>();
    for (MarketEvent event : run(new SimulatedMarket(11), SYMBOLS, 300)) {
      if (event instanceof Trade trade) {
        long previous = lastId.getOrDefault(trade.symbol(), 0L);
        assertEquals(previous + 1, trade.id(), trade::toString);
        lastId.put(trade.symbol(), trade.id());
      }
    }
    assertEquals(Set.copyOf(SYMBOLS), lastId.keySet());
  }

  @Test
  void unknownSymbolsAreSkipped() {
    List<MarketEvent> events = new SimulatedMarket(1).tick(List.of("ZZZZ", "F"), START);
    assertEquals(2, events.size());
    assertTrue(events.stream().allMatch(e -> e.symbol().equals("F")));
  }

  @Test
  void eventsCarryTheTickTimeAndATape() {
    for (MarketEvent event : new SimulatedMarket(1).tick(List.of("AAPL", "JPM"), START)) {
      assertEquals(START, event.timestamp());
    }
    Trade aapl = (Trade) new SimulatedMarket(1).tick(List.of("AAPL"), START).get(0);
    assertEquals("C", aapl.tape()); // Nasdaq-listed
  }

  @Test
  void testSymbolOnlyOnTheTestFeed() {
    assertEquals(Set.of("FAKEPACA"), SimulatedMarket.symbolsOf("test"));
    for (String feed : List.of("iex", "sip", "delayed_sip")) {
      Set<String> symbols = SimulatedMarket.symbolsOf(feed);
      assertFalse(symbols.contains("FAKEPACA"), feed);
      assertTrue(symbols.containsAll(List.of("AAPL", "SPY", "BRK.B")), feed);
    }
  }

  @Test
  void closedBarsSummariseTheTradesTicked() {
    SimulatedMarket market = new SimulatedMarket(99);
    List<MarketEvent> events = run(market, List.of("AAPL", "F"), 600);
    Instant barStart = START.minus(Duration.ofMinutes(1));
    Map<String, Bar> bars =
        market.closeBars(barStart).stream()
            .collect(Collectors.toMap(Bar::symbol, Function.identity()));
    assertEquals(Set.of("AAPL", "F"), bars.keySet(), "only symbols that traded get a bar");

    Map<String, List<Trade>> trades = new LinkedHashMap<>();
    for (MarketEvent event : events) {
      if (event instanceof Trade trade) {
        trades.computeIfAbsent(trade.symbol(), s -> new ArrayList<>()).add(trade);
      }
    }
    for (Bar bar : bars.values()) {
      List<Trade> ticked = trades.get(bar.symbol());
      assertEquals(Bar.Kind.MINUTE, bar.kind());
      assertEquals(barStart, bar.timestamp());
      assertEquals(ticked.get(0).price(), bar.open());
      assertEquals(ticked.get(ticked.size() - 1).price(), bar.close());
      assertEquals(ticked.stream().mapToDouble(Trade::price).max().orElseThrow(), bar.high());
      assertEquals(ticked.stream().mapToDouble(Trade::price).min().orElseThrow(), bar.low());
      assertTrue(bar.low() <= bar.open() && bar.open() <= bar.high(), bar::toString);
      assertTrue(bar.low() <= bar.close() && bar.close() <= bar.high(), bar::toString);
      assertEquals(ticked.stream().mapToLong(Trade::size).sum(), bar.volume());
      assertEquals(ticked.size(), bar.tradeCount());
      assertTrue(bar.low() <= bar.vwap() && bar.vwap() <= bar.high(), bar::toString);
      assertEquals(market.lastPrice(bar.symbol()), bar.close());
    }
  }

  @Test
  void closingBarsStartsAFreshBar() {
    SimulatedMarket market = new SimulatedMarket(5);
    run(market, List.of("AAPL"), 50);
    assertEquals(1, market.closeBars(START).size());
    assertEquals(List.of(), market.closeBars(START.plusSeconds(60)), "nothing traded since");

    Trade next = (Trade) market.tick(List.of("AAPL"), START.plusSeconds(61)).get(0);
    List<Bar> bars = market.closeBars(START.plusSeconds(120));
    assertEquals(1, bars.size());
    Bar bar = bars.get(0);
    assertEquals(1, bar.tradeCount());
    assertEquals(next.size(), bar.volume());
    assertEquals(next.price(), bar.open());
    assertEquals(next.price(), bar.high());
    assertEquals(next.price(), bar.low());
    assertEquals(next.price(), bar.close());
    assertEquals(next.price(), bar.vwap(), 1e-9);
  }
}
