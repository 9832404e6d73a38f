package io.tickrelay.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A provider's request budget as a token bucket: {@code perMinute} units refill evenly, a burst of
 * ten seconds' worth may go at once. A request of weight {@code w} reserves {@code w} units and
 * learns how long to wait first (Alpaca counts requests, 200 a minute on the basic plan; Binance
 * counts weight). Shared by every backfill of that provider.
 */
public final class RequestRate {

  private final double perNano;
  private final double capacity;
  private final Clock clock;
  private double tokens;
  private Instant last;

  public RequestRate(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute must be positive");
    }
    this.perNano = perMinute / 60e9;
    this.capacity = Math.max(1, perMinute / 6.0);
    this.clock = clock;
    this.tokens = capacity;
    this.last = clock.instant();
  }

  /** Reserves {@code weight} units; the time to wait before sending, zero when there is room. */
  public synchronized Duration reserve(int weight) {
    Instant now = clock.instant();
    long elapsed = Duration.between(last, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      last = now;
    }
    tokens -= weight;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / perNano));
  }
}
