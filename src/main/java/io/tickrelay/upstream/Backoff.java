package io.tickrelay.upstream;

import java.time.Duration;

/**
 * Exponential reconnect delay with jitter: {@code initial} doubling per failed attempt up to
 * {@code max}, then a random point in the upper half, so that many gateways restarted together do
 * not reconnect in lockstep ("equal jitter").
 */
public record Backoff(Duration initial, Duration max) {

  /**
   * @param attempt consecutive failures so far, starting at 1
   * @param random a value in [0, 1)
   */
  public Duration delay(int attempt, double random) {
    long initialMs = initial.toMillis();
    long maxMs = max.toMillis();
    int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
    long ceilingMs = Math.min(maxMs, initialMs << doublings);
    if (ceilingMs < 0) {
      ceilingMs = maxMs;
    }
    long half = ceilingMs / 2;
    return Duration.ofMillis(half + (long) (random * (ceilingMs - half)));
  }
}
