package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * A trading status change of a stock (Alpaca {@code T:"s"}): a halt, a pause, a resumption, with
 * the SIP's status and reason codes as sent (CTA tapes A/B use codes such as {@code 2} halt and
 * {@code 3} resume, UTP tape C {@code H}, {@code Q}, {@code T}; Alpaca docs,
 * real-time-stock-pricing-data, "Trading status").
 */
public record TradingStatus(
    String symbol,
    String statusCode,
    String statusMessage,
    String reasonCode,
    String reasonMessage,
    Instant timestamp,
    String tape)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return Channel.STATUSES;
  }
}
