package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * A Limit Up-Limit Down price band of a stock (Alpaca {@code T:"l"}): trades outside
 * {@code [limitDown, limitUp]} are not allowed; {@code indicator} is the SIP's LULD indicator.
 */
public record Luld(
    String symbol, double limitUp, double limitDown, String indicator, Instant timestamp, String tape)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return Channel.LULDS;
  }
}
