package io.tickrelay.marketdata;

import java.time.Instant;

/** A crypto top-of-book quote in Alpaca's v1beta3 shape ({@code T:"q"}, fractional sizes). */
public record CryptoQuote(
    String symbol,
    double bidPrice,
    double bidSize,
    double askPrice,
    double askSize,
    Instant timestamp)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return Channel.QUOTES;
  }
}
