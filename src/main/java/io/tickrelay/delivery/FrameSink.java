package io.tickrelay.delivery;

import jakarta.websocket.CloseReason;
import java.util.function.Consumer;

/**
 * Where an outbox's frames go: a WebSocket session in production, a recording fake in unit tests.
 * {@link #send} must not block; it reports completion once, possibly on the calling thread.
 */
public interface FrameSink {

  /** Starts sending one frame; {@code done} gets null on success, else the failure. */
  void send(byte[] frame, Consumer<Throwable> done);

  void close(CloseReason reason);

  /** For log lines: which client this is. */
  String id();
}
