package io.tickrelay.publish;

import java.time.Duration;
import java.util.Optional;

/** Why a publish request is answered with a 4xx instead of being published; the reason is safe to show. */
final class PublishRefused extends Exception {

  private final int status;
  private final transient Duration retryAfter;

  PublishRefused(int status, String reason) {
    this(status, reason, null);
  }

  private PublishRefused(int status, String reason, Duration retryAfter) {
    super(reason, null, false, false);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  static PublishRefused tooManyRequests(Duration retryAfter) {
    return new PublishRefused(429, "publish rate exceeded", retryAfter);
  }

  int status() {
    return status;
  }

  /** For 429: when the same request would be admitted. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
