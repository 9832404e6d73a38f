package io.tickrelay.delivery;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Logger;

/** A {@link FrameSink} over a WebSocket session: asynchronous sends, text or binary frames. */
public final class SessionSink implements FrameSink {

  private static final Logger LOG = Logger.getLogger(SessionSink.class.getName());

  private final Session session;
  private final boolean binary;

  public SessionSink(Session session, boolean binary) {
    this.session = session;
    this.binary = binary;
  }

  @Override
  public void send(byte[] frame, Consumer<Throwable> done) {
    try {
      if (binary) {
        session.getAsyncRemote().sendBinary(ByteBuffer.wrap(frame), r -> done.accept(failure(r)));
      } else {
        // Jakarta WebSocket sends text only as a String; the UTF-8 bytes are shared up to here
        session
            .getAsyncRemote()
            .sendText(new String(frame, StandardCharsets.UTF_8), r -> done.accept(failure(r)));
      }
    } catch (RuntimeException e) { // a session closed under us
      done.accept(e);
    }
  }

  @Override
  public void write(byte[] frame) throws IOException {
    // the container writes on this thread: no hand-off to its selector and worker threads per
    // frame, which is most of the cost of an asynchronous send (docs/BENCHMARKS.md, fourth run)
    if (binary) {
      session.getBasicRemote().sendBinary(ByteBuffer.wrap(frame));
    } else {
      session.getBasicRemote().sendText(new String(frame, StandardCharsets.UTF_8));
    }
  }

  private static Throwable failure(SendResult result) {
    if (result.isOK()) {
      return null;
    }
    return result.getException() != null ? result.getException() : new IOException("send failed");
  }

  @Override
  public void close(CloseReason reason) {
    try {
      if (session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException | IllegalStateException e) {
      LOG.fine(() -> "client " + session.getId() + ": close failed: " + e.getMessage());
    }
  }

  @Override
  public boolean open() {
    return session.isOpen();
  }

  @Override
  public String id() {
    return session.getId();
  }
}
