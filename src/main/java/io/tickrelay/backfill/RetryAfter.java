package io.tickrelay.backfill;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Binance sends seconds with its 429 and 418 (developers.binance.com, spot REST "Limits").
 */
public final class RetryAfter {

  private RetryAfter() {}

  /** The wait the value asks for, empty when absent or unreadable; never negative. */
  public static Optional<Duration> parse(Optional<String> value, Instant now) {
    if (value.isEmpty() || value.get().isBlank()) {
      return Optional.empty();
    }
    String text = value.get().trim();
    try {
      if (text.chars().allMatch(Character::isDigit)) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      }
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
