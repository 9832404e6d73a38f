package io.tickrelay.binance;

import java.time.Duration;

/**
 * When the next control message (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS) may go out. Binance
 * disconnects a connection that sends more than 5 messages per second, pings and pongs included
 * (upstream-protocols.md §2.3), so messages are spaced evenly at {@code 1 s / perSecond} rather
 * than sent in bursts: even spacing survives network jitter that could squeeze a burst into one
 * server-side second. Pure: the caller passes the time, in nanoseconds of any monotonic clock.
 * Not thread-safe.
 */
public final class ControlPacer {

  private final long spacingNanos;
  private long lastSentAt;
  private boolean sentAny;

  /** {@code perSecond} control messages at most, evenly spaced. */
  public ControlPacer(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1");
    }
    this.spacingNanos = 1_000_000_000L / perSecond;
  }

  /** How long to wait from {@code nowNanos} before the next message may be sent; zero if now. */
  public Duration delayAt(long nowNanos) {
    if (!sentAny) {
      return Duration.ZERO;
    }
    long wait = lastSentAt + spacingNanos - nowNanos;
    return wait <= 0 ? Duration.ZERO : Duration.ofNanos(wait);
  }

  /** Records a message sent at {@code nowNanos}. */
  public void sent(long nowNanos) {
    lastSentAt = nowNanos;
    sentAny = true;
  }

  public Duration spacing() {
    return Duration.ofNanos(spacingNanos);
  }
}
