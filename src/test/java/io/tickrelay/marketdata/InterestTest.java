package io.tickrelay.marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Set algebra of subscriptions, with {@code "*"} as a literal symbol that matches everything. */
class InterestTest {

  private static final Interest AAPL_TRADES = Interest.of(Channel.TRADES, "AAPL");

  @Test
  void plusUnitesPerChannel() {
    Interest sum =
        AAPL_TRADES
            .plus(Interest.of(Channel.TRADES, "MSFT", "AAPL"))
            .plus(Interest.of(Channel.QUOTES, "AMD"));
    assertEquals(new TreeSet<>(List.of("AAPL", "MSFT")), sum.symbols(Channel.TRADES));
    assertEquals(Set.of("AMD"), sum.symbols(Channel.QUOTES));
    assertEquals(Set.of(Channel.TRADES, Channel.QUOTES), sum.channels());
    assertEquals(3, sum.symbolCount());
  }

  @Test
  void minusRemovesPerChannelAndDropsEmptyChannels() {
    Interest both =
        Interest.of(Map.of(Channel.TRADES, List.of("AAPL", "MSFT"), Channel.BARS, List.of("SPY")));
    Interest rest =
        both.minus(
            Interest.of(Map.of(Channel.TRADES, List.of("MSFT"), Channel.BARS, List.of("SPY"))));
    assertEquals(AAPL_TRADES, rest);
    assertEquals(Set.of(Channel.TRADES), rest.channels());
    assertEquals(Interest.none(), rest.minus(AAPL_TRADES));
    assertTrue(rest.minus(AAPL_TRADES).isEmpty());
  }

  @Test
  void minusOnAnotherChannelOrSymbolChangesNothing() {
    assertEquals(AAPL_TRADES, AAPL_TRADES.minus(Interest.of(Channel.QUOTES, "AAPL")));
    assertEquals(AAPL_TRADES, AAPL_TRADES.minus(Interest.of(Channel.TRADES, "MSFT")));
    assertEquals(AAPL_TRADES, AAPL_TRADES.minus(Interest.none()));
  }

  @Test
  void wildcardIsLiteral() {
    Interest all = Interest.of(Channel.TRADES, Interest.WILDCARD);
    // "*" minus one symbol is still "*": removing a symbol from everything is not representable
    assertEquals(all, all.minus(AAPL_TRADES));
    assertEquals(AAPL_TRADES, all.plus(AAPL_TRADES).minus(all));
    assertEquals(2, all.plus(AAPL_TRADES).symbolCount());
  }

  @Test
  void matchesBySymbolOrWildcardOnTheSameChannelOnly() {
    assertTrue(AAPL_TRADES.matches(Channel.TRADES, "AAPL"));
    assertFalse(AAPL_TRADES.matches(Channel.TRADES, "MSFT"));
    assertFalse(AAPL_TRADES.matches(Channel.QUOTES, "AAPL"));
    Interest allBars = Interest.of(Channel.BARS, "*");
    assertTrue(allBars.matches(Channel.BARS, "AAPL"));
    assertTrue(allBars.matches(Channel.BARS, "BRK.B"));
    assertFalse(allBars.matches(Channel.DAILY_BARS, "AAPL"));
    assertFalse(Interest.none().matches(Channel.TRADES, "AAPL"));
  }

  @Test
  void equalityIgnoresOrderDuplicatesAndEmptyChannels() {
    Interest a =
        Interest.of(
            Map.of(Channel.TRADES, List.of("MSFT", "AAPL", "MSFT"), Channel.QUOTES, List.of()));
    Interest b = Interest.of(Channel.TRADES, "AAPL").plus(Interest.of(Channel.TRADES, "MSFT"));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(2, a.symbolCount());
    assertNotEquals(a, Interest.of(Channel.QUOTES, "AAPL", "MSFT"));
    assertNotEquals(a, AAPL_TRADES);
    assertSame(Interest.none(), Interest.of(Map.of(Channel.TRADES, List.of())));
    assertEquals(0, Interest.none().symbolCount());
  }

  @Test
  void symbolsAreSorted() {
    Interest interest = Interest.of(Channel.QUOTES, "MSFT", "AAPL", "*", "BRK.B");
    assertEquals(
        List.of("*", "AAPL", "BRK.B", "MSFT"), List.copyOf(interest.symbols(Channel.QUOTES)));
  }

  @Test
  void returnedSetsAreImmutable() {
    Interest interest =
        Interest.of(Channel.TRADES, "AAPL").plus(Interest.of(Channel.QUOTES, "AMD"));
    assertThrows(
        UnsupportedOperationException.class, () -> interest.symbols(Channel.TRADES).add("MSFT"));
    assertThrows(
        UnsupportedOperationException.class, () -> interest.symbols(Channel.TRADES).clear());
    assertThrows(
        UnsupportedOperationException.class, () -> interest.symbols(Channel.BARS).add("MSFT"));
    assertThrows(
        UnsupportedOperationException.class, () -> interest.channels().remove(Channel.QUOTES));
    assertThrows(UnsupportedOperationException.class, () -> interest.channels().add(Channel.BARS));
    assertEquals(2, interest.symbolCount());
  }

  @Test
  void laterChangesToTheSourceListDoNotLeakIn() {
    List<String> symbols = new ArrayList<>(List.of("AAPL"));
    Interest interest = Interest.of(Map.of(Channel.TRADES, symbols));
    symbols.add("MSFT");
    assertEquals(AAPL_TRADES, interest);
  }

  @Test
  void plusAndMinusLeaveTheirOperandsUnchanged() {
    Interest other = Interest.of(Channel.TRADES, "MSFT");
    AAPL_TRADES.plus(other);
    other.minus(AAPL_TRADES);
    assertEquals(Set.of("AAPL"), AAPL_TRADES.symbols(Channel.TRADES));
    assertEquals(Set.of("MSFT"), other.symbols(Channel.TRADES));
  }

  /** A PassThrough (no channel) matches its symbol on any channel: publish, resume and the simulator rely on it. */
  @Test
  void aNullChannelMatchesTheSymbolOnAnyChannelAndNoSymbolAnySubscription() {
    Interest quotes = Interest.of(Channel.QUOTES, "NVDA");
    assertTrue(quotes.matches(null, "NVDA"));
    assertFalse(quotes.matches(null, "AMD"));
    assertTrue(Interest.of(Channel.LULDS, "*").matches(null, "AMD"));
    assertTrue(quotes.matches(null, ""), "no symbol: every client with a subscription");
    assertFalse(Interest.none().matches(null, ""));
    assertFalse(Interest.none().matches(null, "NVDA"));
  }
}
