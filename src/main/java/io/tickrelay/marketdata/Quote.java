package io.tickrelay.marketdata;

import java.time.Instant;
import java.util.List;

/** A top-of-book quote (Alpaca {@code T:"q"}). */
public record Quote(
    String symbol,
    String bidExchange,
    double bidPrice,
    long bidSize,
    String askExchange,
    double askPrice,
    long askSize,
    Instant timestamp,
    List<String> conditions,
    String tape)
    implements MarketEvent {

  public Quote {
    conditions = List.copyOf(conditions);
  }

  @Override
  public Channel channel() {
    return Channel.QUOTES;
  }
}
