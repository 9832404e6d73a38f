package io.tickrelay.publish;

import java.time.Duration;

/**
 * A publisher's token bucket, in events: it holds one second's worth, refills continuously, and
 * admits a request's events all together or not at all, so a refused request costs no tokens.
 */
final class PublishRate {

  private final double perSecond;
  private final double burst;
  private double tokens;
  private long lastNanos;

  PublishRate(double perSecond, long nowNanos) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("publish rate must be above 0 per second: " + perSecond);
    }
    this.perSecond = perSecond;
    this.burst = Math.max(1, perSecond);
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** The most events one request may carry: more could never be admitted. */
  int burst() {
    return (int) Math.min(Integer.MAX_VALUE, Math.floor(burst));
  }

  /** {@link Duration#ZERO} when {@code events} are admitted (and taken), else the wait until they would be. */
  synchronized Duration take(int events, long nowNanos) {
    double elapsedSeconds = Math.max(0, nowNanos - lastNanos) / 1e9;
    tokens = Math.min(burst, tokens + elapsedSeconds * perSecond);
    lastNanos = Math.max(lastNanos, nowNanos);
    if (tokens >= events) {
      tokens -= events;
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil((events - tokens) / perSecond * 1e9));
  }
}
