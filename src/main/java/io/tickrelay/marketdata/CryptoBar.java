package io.tickrelay.marketdata;

import java.time.Instant;

/** A crypto OHLCV bar ({@code T:"b"}, {@code "d"}, {@code "u"}); volume is fractional. */
public record CryptoBar(
    Bar.Kind kind,
    String symbol,
    double open,
    double high,
    double low,
    double close,
    double volume,
    long tradeCount,
    double vwap,
    Instant timestamp)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return kind.channel();
  }
}
