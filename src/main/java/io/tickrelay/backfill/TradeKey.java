package io.tickrelay.backfill;

import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import java.util.Optional;

/**
 * What makes a trade the same trade whether it came live or from history: symbol, venue and id.
 * Stock trade ids are assigned per reporting venue (Alpaca's {@code x}), so the venue is part of
 * the key; crypto trades have one id space per symbol.
 */
public record TradeKey(String symbol, String venue, long id) {

  /** The key of a trade event, empty for anything else. */
  public static Optional<TradeKey> of(MarketEvent event) {
    if (event instanceof Trade trade) {
      return Optional.of(new TradeKey(trade.symbol(), trade.exchange(), trade.id()));
    }
    if (event instanceof CryptoTrade trade) {
      return Optional.of(new TradeKey(trade.symbol(), "", trade.id()));
    }
    return Optional.empty();
  }
}
