package io.tickrelay.marketdata;

import java.time.Instant;

/** An order imbalance of a stock ahead of an auction (Alpaca {@code T:"i"}), at its reference price. */
public record Imbalance(String symbol, double price, Instant timestamp, String tape)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return Channel.IMBALANCES;
  }
}
