package io.tickrelay.marketdata;

import java.time.Instant;
import java.util.List;

/** A trade print (Alpaca {@code T:"t"}). */
public record Trade(
    String symbol,
    long id,
    String exchange,
    double price,
    long size,
    Instant timestamp,
    List<String> conditions,
    String tape)
    implements MarketEvent {

  public Trade {
    conditions = List.copyOf(conditions);
  }

  @Override
  public Channel channel() {
    return Channel.TRADES;
  }
}
