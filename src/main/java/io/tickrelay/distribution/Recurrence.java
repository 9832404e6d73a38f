package io.tickrelay.distribution;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import java.util.List;

/**
 * What makes an event the same event whether it came live or from the provider's history: a stock
 * trade by symbol, venue and id (Alpaca numbers trades per reporting venue), a crypto trade by
 * symbol and id, a bar by kind, symbol and start. Null for events that are never backfilled.
 */
final class Recurrence {

  private Recurrence() {}

  static Object of(MarketEvent event) {
    if (event instanceof Trade t) {
      return List.of("t", t.symbol(), t.exchange(), t.id());
    }
    if (event instanceof CryptoTrade t) {
      return List.of("ct", t.symbol(), t.id());
    }
    if (event instanceof Bar b) {
      return List.of("b", b.kind(), b.symbol(), b.timestamp());
    }
    if (event instanceof CryptoBar b) {
      return List.of("cb", b.kind(), b.symbol(), b.timestamp());
    }
    return null;
  }
}
