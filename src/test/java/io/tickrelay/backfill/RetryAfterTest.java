package io.tickrelay.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");

  @Test
  void secondsAndHttpDatesAreRead() {
    assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse(Optional.of("30"), NOW));
    assertEquals(Optional.of(Duration.ofSeconds(90)),
        RetryAfter.parse(Optional.of("Mon, 02 Mar 2026 15:01:30 GMT"), NOW));
  }

  @Test
  void aDateInThePastMeansNowAndNonsenseMeansNothing() {
    assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(Optional.of("Mon, 02 Mar 2026 14:00:00 GMT"), NOW));
    assertEquals(Optional.empty(), RetryAfter.parse(Optional.of("soon"), NOW));
    assertEquals(Optional.empty(), RetryAfter.parse(Optional.empty(), NOW));
  }
}
