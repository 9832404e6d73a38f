package io.tickrelay.distribution;

import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.protocol.GatewayMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The client stream's numbering and its bounded memory: every event and gap marker gets the next
 * sequence number (from 1), and the last {@code capacity} events are kept so a reconnecting client can resume. The
 * epoch names this numbering; it changes when the gateway restarts, so old numbers are never
 * trusted (fanout-anchors.md §A.1, Centrifugo's epoch and offset). Not thread-safe: the fan-out
 * lock guards it.
 */
final class Journal {

  private final String epoch = UUID.randomUUID().toString().substring(0, 8);
  private final Streamed[] ring;
  private long head; // the last sequence number given out; 0 before the first event

  Journal(int capacity) {
    this.ring = new Streamed[Math.max(1, capacity)];
  }

  String epoch() {
    return epoch;
  }

  long head() {
    return head;
  }

  /** The oldest sequence number still held; {@code head + 1} when nothing is. */
  long oldest() {
    return Math.max(1, head - ring.length + 1);
  }

  Streamed append(MarketEvent event) {
    Streamed streamed = new Streamed(++head, event);
    ring[(int) (head % ring.length)] = streamed;
    return streamed;
  }

  Streamed append(GatewayMessages.Gap gap, boolean live) {
    Streamed streamed = new Streamed(++head, gap, live);
    ring[(int) (head % ring.length)] = streamed;
    return streamed;
  }

  /** Every event after {@code seq}, or empty when some of them are no longer held. */
  Optional<List<Streamed>> after(long seq) {
    if (seq > head || seq + 1 < oldest()) {
      return Optional.empty();
    }
    List<Streamed> missed = new ArrayList<>((int) (head - seq));
    for (long s = seq + 1; s <= head; s++) {
      missed.add(ring[(int) (s % ring.length)]);
    }
    return Optional.of(missed);
  }
}
