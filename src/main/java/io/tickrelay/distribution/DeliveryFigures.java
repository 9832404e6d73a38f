package io.tickrelay.distribution;

import io.tickrelay.delivery.OutboxListener;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What every client outbox did, summed: messages and frames sent, conflated and dropped, and the
 * upstream-timestamp-to-send latency handed to a recorder (a metrics histogram in the container).
 * LongAdders, because many delivery threads add at once on the hot path.
 */
final class DeliveryFigures implements OutboxListener {

  private final LongAdder framesSent = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder conflated = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongConsumer latencyNanos;
  private final EpochNanos clock;

  /** Wall-clock time in epoch nanoseconds; upstream timestamps are wall-clock too. */
  @FunctionalInterface
  interface EpochNanos {
    long now();

    static EpochNanos system() {
      return () -> {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      };
    }
  }

  DeliveryFigures(LongConsumer latencyNanos, EpochNanos clock) {
    this.latencyNanos = latencyNanos;
    this.clock = clock;
  }

  @Override
  public void sent(int messages, long oldestEventNanos) {
    framesSent.increment();
    messagesSent.add(messages);
    if (oldestEventNanos != 0) {
      latencyNanos.accept(Math.max(0, clock.now() - oldestEventNanos));
    }
  }

  @Override
  public void conflated() {
    conflated.increment();
  }

  @Override
  public void dropped(int messages) {
    dropped.add(messages);
  }

  long framesSent() {
    return framesSent.sum();
  }

  long messagesSent() {
    return messagesSent.sum();
  }

  long conflatedMessages() {
    return conflated.sum();
  }

  long droppedMessages() {
    return dropped.sum();
  }
}
