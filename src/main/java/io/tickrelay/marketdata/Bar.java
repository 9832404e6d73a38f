package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * An OHLCV bar; {@code kind} says whether it is a minute bar, a daily bar or an update of an
 * earlier minute bar (Alpaca {@code T:"b"}, {@code "d"}, {@code "u"}). The timestamp is the bar's
 * start.
 */
public record Bar(
    Kind kind,
    String symbol,
    double open,
    double high,
    double low,
    double close,
    long volume,
    long tradeCount,
    double vwap,
    Instant timestamp)
    implements MarketEvent {

  /** Which bar stream a bar belongs to. */
  public enum Kind {
    MINUTE(Channel.BARS),
    DAILY(Channel.DAILY_BARS),
    UPDATED(Channel.UPDATED_BARS);

    private final Channel channel;

    Kind(Channel channel) {
      this.channel = channel;
    }

    public Channel channel() {
      return channel;
    }
  }

  @Override
  public Channel channel() {
    return kind.channel;
  }
}
