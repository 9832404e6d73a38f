package io.tickrelay.publish;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a publish request is answered with a 4xx instead of being published; the reason is safe to
 * show, and names no secret.
 */
final class PublishRefused extends Exception {

  private final int status;
  private final transient Duration retryAfter;
  private final String publisher;

  PublishRefused(int status, String reason) {
    this(status, reason, null, null);
  }

  private PublishRefused(int status, String reason, Duration retryAfter, String publisher) {
    super(reason, null, false, false);
    this.status = status;
    this.retryAfter = retryAfter;
    this.publisher = publisher;
  }

  static PublishRefused tooManyRequests(Duration retryAfter) {
    return new PublishRefused(429, "publish rate exceeded", retryAfter, null);
  }

  /**
   * Too many failed authentications of the key from this address, or from the address, lately:
   * refused without checking the secret; the window is the longest wait there can be.
   */
  static PublishRefused authThrottled(Duration window) {
    return new PublishRefused(429, "too many failed authentications", window, null);
  }

  /** The same refusal, for an authenticated publisher (for the log). */
  PublishRefused by(String publisherKey) {
    return new PublishRefused(status, getMessage(), retryAfter, publisherKey);
  }

  int status() {
    return status;
  }

  /** For 429: when the same request would be admitted (at the latest, for a throttled auth). */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The publisher's key once it authenticated; empty for a 401. */
  Optional<String> publisher() {
    return Optional.ofNullable(publisher);
  }
}
