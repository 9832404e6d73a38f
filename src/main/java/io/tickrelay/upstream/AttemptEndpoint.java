package io.tickrelay.upstream;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The WebSocket callbacks of one connection attempt, passed to its connection; they never throw. */
final class AttemptEndpoint extends Endpoint {

  private static final Logger LOG = Logger.getLogger(AttemptEndpoint.class.getName());

  /** What the connection does with each callback of the attempt. */
  interface Callbacks {
    void opened(Session session);

    void text(String frame);

    void binary(ByteBuffer frame);

    void pong();

    void closed(CloseReason reason);
  }

  private final String name;
  private final Callbacks callbacks;

  AttemptEndpoint(String name, Callbacks callbacks) {
    this.name = name;
    this.callbacks = callbacks;
  }

  @Override
  public void onOpen(Session opened, EndpointConfig config) {
    opened.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> guard(() -> callbacks.text(frame)));
    opened.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) frame -> guard(() -> callbacks.binary(frame)));
    opened.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> guard(callbacks::pong));
    guard(() -> callbacks.opened(opened));
  }

  @Override
  public void onClose(Session closedSession, CloseReason closeReason) {
    guard(() -> callbacks.closed(closeReason));
  }

  @Override
  public void onError(Session errored, Throwable error) {
    LOG.fine(() -> name + ": transport error: " + error);
  }

  private void guard(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, name + ": callback failed", e);
    }
  }
}
