package io.tickrelay.backfill;

import io.tickrelay.upstream.Backoff;
import java.time.Duration;

/**
 * How much one backfill may cost: an overall {@code deadline}, at most {@code maxPages} requests
 * and {@code maxEvents} events across its channels, each request answered within {@code
 * requestTimeout} and retried up to {@code retries} times after a 429, a 5xx or an I/O error,
 * waiting {@code backoff} (or the provider's {@code Retry-After}) in between.
 */
public record BackfillLimits(
    Duration deadline,
    int maxPages,
    int maxEvents,
    Duration requestTimeout,
    int retries,
    Backoff backoff) {

  public BackfillLimits {
    if (maxPages < 1 || maxEvents < 1 || retries < 0) {
      throw new IllegalArgumentException("maxPages and maxEvents must be positive, retries >= 0");
    }
  }

  /** The documented defaults (README, configuration). */
  public static BackfillLimits defaults() {
    return new BackfillLimits(Duration.ofSeconds(30), 50, 100_000, Duration.ofSeconds(10), 3,
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10)));
  }
}
