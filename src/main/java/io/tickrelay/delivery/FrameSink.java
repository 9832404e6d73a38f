package io.tickrelay.delivery;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where an outbox's frames go: a WebSocket session in production, a recording fake in unit tests.
 * {@link #send} must not block; it reports completion once, possibly on the calling thread. {@link
 * #write} blocks until the frame is written, and is only called from a {@link DirectWriter}'s
 * thread.
 */
public interface FrameSink {

  /** Starts sending one frame; {@code done} gets null on success, else the failure. */
  void send(byte[] frame, Consumer<Throwable> done);

  /** Writes one frame, blocking while the peer's socket buffer is full. */
  void write(byte[] frame) throws IOException;

  void close(CloseReason reason);

  /** Whether the connection is still open (the peer may have gone while a write waited). */
  default boolean open() {
    return true;
  }

  /** For log lines: which client this is. */
  String id();
}
