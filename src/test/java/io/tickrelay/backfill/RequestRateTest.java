package io.tickrelay.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.testing.SteppedClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestRateTest {

  @Test
  void aBurstOfTenSecondsWorthThenEvenSpacing() {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-03-02T15:00:00Z"));
    RequestRate rate = new RequestRate(60, clock); // one a second, a burst of ten

    for (int i = 0; i < 10; i++) {
      assertEquals(Duration.ZERO, rate.reserve(1), "request " + i);
    }
    assertEquals(Duration.ofSeconds(1), rate.reserve(1));
    assertEquals(Duration.ofSeconds(2), rate.reserve(1), "reservations queue up");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(Duration.ofSeconds(1), rate.reserve(1));
  }

  @Test
  void weightCountsLikeThatManyRequests() {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-03-02T15:00:00Z"));
    RequestRate rate = new RequestRate(1200, clock); // Binance-style weight: 20 a second, 200 at once

    for (int i = 0; i < 8; i++) {
      assertEquals(Duration.ZERO, rate.reserve(25));
    }
    assertEquals(Duration.ofMillis(1250), rate.reserve(25));
  }
}
