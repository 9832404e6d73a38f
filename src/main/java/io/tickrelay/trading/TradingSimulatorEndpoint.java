package io.tickrelay.trading;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The trading simulator's WebSocket face, {@code /simulator/trading/stream}; callbacks never throw. */
@Dependent
@ServerEndpoint("/simulator/trading/stream")
public class TradingSimulatorEndpoint {

  private static final Logger LOG = Logger.getLogger(TradingSimulatorEndpoint.class.getName());
  private static final int MAX_MESSAGE_BYTES = 64 * 1024;

  @Inject EmbeddedTradingSimulator embedded;

  private TradingSimulator simulator;

  @OnOpen
  public void open(Session session) {
    Optional<TradingSimulator> running = embedded.simulator();
    if (running.isEmpty()) {
      TradingSimulator.closeQuietly(session,
          new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "simulator disabled"));
      return;
    }
    simulator = running.get();
    guard(session, () -> simulator.opened(session));
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
    LOG.fine(() -> "trading simulator session " + session.getId() + ": " + error);
  }

  private static void guard(Session session, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "trading simulator session " + session.getId() + " failed", e);
    }
  }
}
