package io.tickrelay.distribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A client's cap on messages per symbol and type per second, by conflation: within the cap a
 * message passes; above it the newest one is held back, replacing any older held one, and released
 * when its slot frees up. Trades are never held (they are never conflated). Not thread-safe: the
 * fan-out lock guards it.
 */
final class RateCap {

  private static final class Slot {
    long nextAtNanos;
    Streamed held;

    Slot(long nowNanos) {
      nextAtNanos = nowNanos;
    }
  }

  private final long intervalNanos;
  private final Map<Streamed.ConflationKey, Slot> slots = new HashMap<>();

  RateCap(int perSecond) {
    this.intervalNanos = 1_000_000_000L / perSecond;
  }

  /** True when {@code event} may go now; false when it is held back. */
  boolean admit(Streamed event, long nowNanos) {
    Slot slot = slots.computeIfAbsent(event.key(), k -> new Slot(nowNanos));
    if (slot.held == null && nowNanos - slot.nextAtNanos >= 0) {
      slot.nextAtNanos = nowNanos + intervalNanos;
      return true;
    }
    slot.held = event;
    return false;
  }

  /** Held events whose slot has freed up by {@code nowNanos}, oldest first. */
  List<Streamed> release(long nowNanos) {
    List<Streamed> due = new ArrayList<>();
    for (Iterator<Slot> it = slots.values().iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (slot.held != null && nowNanos - slot.nextAtNanos >= 0) {
        due.add(slot.held);
        slot.held = null;
        slot.nextAtNanos = nowNanos + intervalNanos;
      } else if (slot.held == null && nowNanos - slot.nextAtNanos >= intervalNanos) {
        it.remove(); // idle: forget it, so the map only holds active symbols
      }
    }
    due.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return due;
  }

  /** When the next held event becomes due, or -1 when none is held. */
  long nextDueNanos() {
    long next = -1;
    for (Slot slot : slots.values()) {
      if (slot.held != null && (next == -1 || slot.nextAtNanos - next < 0)) {
        next = slot.nextAtNanos;
      }
    }
    return next;
  }

  /** Everything still held, for when the cap is lifted. */
  List<Streamed> drain() {
    List<Streamed> held = new ArrayList<>();
    slots.values().forEach(s -> {
      if (s.held != null) {
        held.add(s.held);
      }
    });
    slots.clear();
    held.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return held;
  }
}
