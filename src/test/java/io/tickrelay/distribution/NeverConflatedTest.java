package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.OrderBook;
import io.tickrelay.marketdata.Published;
import io.tickrelay.marketdata.TradeUpdate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Events where every one matters (published events, trades, trade updates) carry no conflation
 * key, so neither a slow client's outbox nor a client's rate cap drops an older one of a channel.
 */
class NeverConflatedTest {

  private static final Instant AT = Instant.parse("2026-12-01T22:00:00Z");

  @Test
  void publishedEventsOfOneChannelAreNeverConflatedOrCapped() {
    Streamed buy = new Streamed(1, new Published("signals", "strat", "{\"s\":\"buy\"}", AT));
    Streamed sell = new Streamed(2, new Published("signals", "strat", "{\"s\":\"sell\"}", AT));
    // a key would let sell replace buy in a slow client's outbox, and Fanout rate-caps keyed ones
    assertNull(buy.key());
    assertNull(sell.key());
  }

  @Test
  void tradesOfEveryKindAndTradeUpdatesCarryNoKey() {
    assertNull(new Streamed(1, new CryptoTrade("BTC/USD", 1, 1, 1, AT, "B")).key());
    assertNull(new Streamed(2, new TradeUpdate("AAPL", "fill", AT, "{}")).key());
    assertNull(new Streamed(5, new OrderBook("BTC/USD", AT,
        java.util.List.of(new OrderBook.Level(97000, 0)), java.util.List.of(), false)).key(),
        "an order-book delta is never replaced by the next");
    assertNull(new Streamed(3, ClientHubTest.trade("AAPL", 1, 228)).key());
    assertNotNull(new Streamed(4, ClientHubTest.quote("AAPL", 1)).key(), "quotes still conflate");
  }
}
