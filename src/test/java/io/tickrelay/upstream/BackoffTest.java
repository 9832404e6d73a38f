package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reconnect delays: 1 s doubling to a 60 s cap, with equal jitter in the upper half. */
class BackoffTest {

  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
  private static final double ALMOST_ONE = Math.nextDown(1.0);

  @ParameterizedTest
  @CsvSource({
    "1, 1000",
    "2, 2000",
    "3, 4000",
    "4, 8000",
    "5, 16000",
    "6, 32000",
    "7, 60000",
    "8, 60000"
  })
  void ceilingDoublesFromOneSecondUpToSixty(int attempt, long ceilingMs) {
    assertEquals(Duration.ofMillis(ceilingMs / 2), BACKOFF.delay(attempt, 0.0));
    Duration top = BACKOFF.delay(attempt, ALMOST_ONE);
    assertTrue(top.toMillis() <= ceilingMs && top.toMillis() >= ceilingMs - 1, top.toString());
  }

  @Test
  void jitterStaysInTheUpperHalf() {
    for (int attempt = 1; attempt <= 12; attempt++) {
      Duration low = BACKOFF.delay(attempt, 0.0);
      Duration high = BACKOFF.delay(attempt, ALMOST_ONE);
      for (double random = 0.0; random < 1.0; random += 0.125) {
        Duration delay = BACKOFF.delay(attempt, random);
        assertTrue(delay.compareTo(low) >= 0 && delay.compareTo(high) <= 0, delay.toString());
      }
      assertTrue(BACKOFF.delay(attempt, 0.5).compareTo(low) > 0);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {31, 32, 63, 64, 1000, Integer.MAX_VALUE})
  void hugeAttemptNumbersStayAtTheCap(int attempt) {
    assertEquals(Duration.ofSeconds(30), BACKOFF.delay(attempt, 0.0));
    Duration top = BACKOFF.delay(attempt, ALMOST_ONE);
    assertTrue(top.compareTo(Duration.ofSeconds(60)) <= 0, top.toString());
    assertTrue(top.compareTo(Duration.ofMillis(59_999)) >= 0, top.toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void attemptsBelowOneCountAsTheFirst(int attempt) {
    assertEquals(Duration.ofMillis(500), BACKOFF.delay(attempt, 0.0));
  }

  @Test
  void neverShrinksAsAttemptsGrow() {
    Duration previous = Duration.ZERO;
    for (int attempt = 1; attempt <= 100; attempt++) {
      Duration delay = BACKOFF.delay(attempt, 0.0);
      assertTrue(delay.compareTo(previous) >= 0, "attempt " + attempt);
      previous = delay;
    }
  }
}
