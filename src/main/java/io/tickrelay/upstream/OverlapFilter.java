package io.tickrelay.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forwards each event once while two sessions of a stream overlap in a planned rotation: events
 * with an identity ({@link Inbound.Data#identity()}) pass the first time that identity is seen;
 * outside rotations (and a short grace after, for frames the old session had already read) it
 * remembers nothing and costs nothing. Remembers at most {@code capacity} identities, the oldest
 * forgotten first.
 */
final class OverlapFilter {

  /** How long after a swap identities are still checked: covers frames already read by the old session. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private final Clock clock;
  private final Map<Object, Boolean> seen;
  private int rotations;
  private Instant graceUntil = Instant.MIN;

  OverlapFilter(Clock clock, int capacity) {
    this.clock = clock;
    this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** A rotation began: from now on identities are remembered. */
  synchronized void rotationStarted() {
    rotations++;
  }

  /** A rotation ended (swapped or abandoned): identities are checked for a grace period more. */
  synchronized void rotationEnded() {
    rotations = Math.max(0, rotations - 1);
    graceUntil = clock.instant().plus(GRACE);
  }

  /** Whether identities must be checked now; forgets them once no rotation needs them. */
  synchronized boolean active() {
    if (rotations > 0 || clock.instant().isBefore(graceUntil)) {
      return true;
    }
    seen.clear();
    return false;
  }

  /** True the first time {@code identity} is offered during a rotation. */
  synchronized boolean firstTime(Object identity) {
    return seen.put(identity, Boolean.TRUE) == null;
  }
}
