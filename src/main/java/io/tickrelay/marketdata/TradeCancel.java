package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * A cancel or error of an earlier trade (Alpaca {@code T:"x"}): {@code action} is {@code "C"} for a
 * cancel, {@code "E"} for an error. Delivered to the {@code trades} subscribers of the symbol, as
 * Alpaca's {@code cancelErrors} follows {@code trades} (upstream-protocols.md §1.4).
 */
public record TradeCancel(
    String symbol,
    long id,
    String exchange,
    double price,
    long size,
    String action,
    Instant timestamp,
    String tape)
    implements MarketEvent {

  public static final String CANCEL = "C";
  public static final String ERROR = "E";

  @Override
  public Channel channel() {
    return Channel.TRADES;
  }
}
