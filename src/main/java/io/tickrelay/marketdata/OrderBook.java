package io.tickrelay.marketdata;

import java.time.Instant;
import java.util.List;

/**
 * A crypto order book message ({@code T:"o"}): the full book when {@code reset}, else changed
 * levels, where size 0 removes a level (upstream-protocols.md §1.5).
 */
public record OrderBook(
    String symbol, Instant timestamp, List<Level> bids, List<Level> asks, boolean reset)
    implements MarketEvent {

  /** One price level. */
  public record Level(double price, double size) {}

  public OrderBook {
    bids = List.copyOf(bids);
    asks = List.copyOf(asks);
  }

  @Override
  public Channel channel() {
    return Channel.ORDERBOOKS;
  }
}
