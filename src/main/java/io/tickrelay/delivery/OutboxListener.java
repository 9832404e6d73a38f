package io.tickrelay.delivery;

/**
 * What happens to the messages of every outbox, for the gateway's figures (status and metrics).
 * Called on delivery threads, sometimes under an outbox's lock, so it must be cheap and not block.
 */
public interface OutboxListener {

  /** Listens to nothing: for outboxes whose figures nobody reads. */
  OutboxListener NONE = new OutboxListener() {};

  /**
   * A frame carrying {@code messages} data messages went to the socket; {@code oldestEventNanos}
   * is the upstream timestamp (epoch nanoseconds) of the oldest of them, 0 when none carries one.
   */
  default void sent(int messages, long oldestEventNanos) {}

  /** A waiting quote or bar was replaced by a newer one for the same symbol. */
  default void conflated() {}

  /** Waiting messages thrown away because the client was cut off or closed. */
  default void dropped(int messages) {}
}
