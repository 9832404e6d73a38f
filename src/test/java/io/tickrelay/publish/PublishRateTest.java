package io.tickrelay.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-publisher token bucket on a clock the test moves. */
class PublishRateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketAdmitsOneSecondsWorthThenRefuses() {
    PublishRate rate = new PublishRate(10, 0);
    assertEquals(Duration.ZERO, rate.take(4, 0));
    assertEquals(Duration.ZERO, rate.take(6, 0));
    assertEquals(Duration.ofMillis(100), rate.take(1, 0));
  }

  @Test
  void refillsContinuouslyUpToTheBurst() {
    PublishRate rate = new PublishRate(10, 0);
    rate.take(10, 0);
    assertEquals(Duration.ZERO, rate.take(5, SECOND / 2));
    assertEquals(Duration.ofMillis(100), rate.take(1, SECOND / 2));
    // a long pause refills to one second's worth, not more
    assertEquals(Duration.ofSeconds(1), rate.take(20, 100 * SECOND));
    assertEquals(Duration.ZERO, rate.take(10, 100 * SECOND));
  }

  @Test
  void aRefusedBatchTakesNothing() {
    PublishRate rate = new PublishRate(10, 0);
    rate.take(7, 0);
    assertEquals(Duration.ofMillis(200), rate.take(5, 0));
    assertEquals(Duration.ZERO, rate.take(3, 0), "the refused 5 left the 3 tokens in place");
  }

  @Test
  void theWaitIsExactlyWhenTheBatchWouldFit() {
    PublishRate rate = new PublishRate(1000, 0);
    rate.take(1000, 0);
    Duration wait = rate.take(250, 0);
    assertEquals(Duration.ofMillis(250), wait);
    assertEquals(Duration.ZERO, rate.take(250, wait.toNanos()));
  }

  @Test
  void aClockGoingBackwardsAddsNoTokens() {
    PublishRate rate = new PublishRate(10, 5 * SECOND);
    rate.take(10, 5 * SECOND);
    assertEquals(Duration.ofMillis(100), rate.take(1, 0));
    assertEquals(Duration.ZERO, rate.take(1, 5 * SECOND + SECOND / 10));
  }

  @Test
  void slowRatesStillAdmitSingleEvents() {
    PublishRate rate = new PublishRate(0.5, 0);
    assertEquals(1, rate.burst());
    assertEquals(Duration.ZERO, rate.take(1, 0));
    assertEquals(Duration.ofSeconds(2), rate.take(1, 0));
  }

  @Test
  void aRateOfZeroIsAConfigurationError() {
    assertThrows(IllegalArgumentException.class, () -> new PublishRate(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new PublishRate(Double.NaN, 0));
  }
}
