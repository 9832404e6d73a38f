package io.tickrelay.admission;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many refusals of each kind the hubs gave since start; cheap to count from any thread. */
public final class Refusals {

  private final Map<Refusal, LongAdder> counts = new EnumMap<>(Refusal.class);

  public Refusals() {
    for (Refusal refusal : Refusal.values()) {
      counts.put(refusal, new LongAdder());
    }
  }

  public void count(Refusal refusal) {
    if (refusal != null) {
      counts.get(refusal).increment();
    }
  }

  public long get(Refusal refusal) {
    return counts.get(refusal).sum();
  }

  /** Every kind by its {@link Refusal#key()}, in catalogue order, zeros included. */
  public Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new LinkedHashMap<>();
    for (Refusal refusal : Refusal.values()) {
      snapshot.put(refusal.key(), get(refusal));
    }
    return snapshot;
  }
}
