package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPacerTest {

  private static final long MS = 1_000_000L;

  @Test
  void firstMessageGoesAtOnceThenEvenlySpaced() {
    ControlPacer pacer = new ControlPacer(4);
    long now = 5_000 * MS;
    assertEquals(Duration.ZERO, pacer.delayAt(now));
    pacer.sent(now);
    assertEquals(Duration.ofMillis(250), pacer.delayAt(now));
    assertEquals(Duration.ofMillis(150), pacer.delayAt(now + 100 * MS));
    assertEquals(Duration.ZERO, pacer.delayAt(now + 250 * MS));
    assertEquals(Duration.ZERO, pacer.delayAt(now + 10_000 * MS), "idle time gives no burst credit beyond one");
  }

  @Test
  void aBurstNeverPutsMoreThanTheLimitInAnySecond() {
    ControlPacer pacer = new ControlPacer(5);
    long clock = 0;
    List<Long> sentAt = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // 30 changes wanted at the same instant
      clock += pacer.delayAt(clock).toNanos();
      pacer.sent(clock);
      sentAt.add(clock);
    }
    for (int i = 0; i < sentAt.size(); i++) {
      long start = sentAt.get(i);
      long inWindow = sentAt.stream().filter(t -> t >= start && t < start + 1_000 * MS).count();
      assertTrue(inWindow <= 5, "at most 5 in the second from " + start + ": " + inWindow);
    }
    assertEquals(29 * 200 * MS, sentAt.get(29));
  }

  @Test
  void refusesAZeroRate() {
    assertThrows(IllegalArgumentException.class, () -> new ControlPacer(0));
  }
}
