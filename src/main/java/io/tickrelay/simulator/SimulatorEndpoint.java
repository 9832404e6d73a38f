package io.tickrelay.simulator;

import io.tickrelay.protocol.HandshakeCapture;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The simulator's WebSocket face, {@code /simulator/v2/{feed}}; callbacks never throw. */
@Dependent
@ServerEndpoint(value = "/simulator/v2/{feed}", configurator = HandshakeCapture.class)
public class SimulatorEndpoint {

  private static final Logger LOG = Logger.getLogger(SimulatorEndpoint.class.getName());
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  @Inject EmbeddedSimulator embedded;

  private AlpacaSimulator simulator;

  @OnOpen
  public void open(Session session, @PathParam("feed") String feed) {
    Optional<AlpacaSimulator> running = runningOrClose(embedded, session);
    if (running.isPresent()) {
      simulator = running.get();
      guard(session, () -> simulator.opened(session, feed));
    }
  }

  /** The running simulator, or empty after closing {@code session} because it is disabled. */
  static Optional<AlpacaSimulator> runningOrClose(EmbeddedSimulator embedded, Session session) {
    Optional<AlpacaSimulator> running = embedded.simulator();
    if (running.isEmpty()) {
      try {
        session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "simulator disabled"));
      } catch (IOException e) {
        LOG.fine(() -> "simulator: close failed: " + e.getMessage());
      }
    }
    return running;
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void text(Session session, String text) {
    if (simulator != null) {
      guard(session, () -> simulator.text(session, text));
    }
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void binary(Session session, byte[] frame) {
    if (simulator != null) {
      guard(session, () -> simulator.binary(session, frame));
    }
  }

  @OnClose
  public void close(Session session) {
    if (simulator != null) {
      guard(session, () -> simulator.closed(session));
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    failed(session, error);
  }

  static void failed(Session session, Throwable error) {
    LOG.fine(() -> "simulator session " + session.getId() + ": " + error);
  }

  static void guard(Session session, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "simulator session " + session.getId() + " failed", e);
    }
  }
}
