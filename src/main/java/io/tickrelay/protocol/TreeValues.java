package io.tickrelay.protocol;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Conversions of decoded values whose representation differs between JSON and msgpack. */
final class TreeValues {

  private TreeValues() {}

  /** JSON carries RFC-3339 strings, msgpack the timestamp extension (decoded to an Instant). */
  static Instant instant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    String text = (String) value;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notUtc) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }
}
