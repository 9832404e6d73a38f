package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * One event of the account's trading stream ({@code trade_updates}: new, fill, partial_fill,
 * canceled...). {@code json} is the provider's {@code data} object as received, relayed unchanged
 * so fields the gateway does not model still reach clients.
 */
public record TradeUpdate(String symbol, String event, Instant timestamp, String json)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return Channel.TRADE_UPDATES;
  }
}
