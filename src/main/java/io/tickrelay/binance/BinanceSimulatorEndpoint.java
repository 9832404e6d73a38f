package io.tickrelay.binance;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The Binance simulator's WebSocket face, {@code /simulator/binance/stream?streams=a/b}; callbacks never throw. */
@Dependent
@ServerEndpoint("/simulator/binance/stream")
public class BinanceSimulatorEndpoint {

  private static final Logger LOG = Logger.getLogger(BinanceSimulatorEndpoint.class.getName());
  private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  @Inject EmbeddedBinanceSimulator embedded;

  private BinanceSimulator simulator;

  @OnOpen
  public void open(Session session) {
    Optional<BinanceSimulator> running = embedded.simulator();
    if (running.isEmpty()) {
      try {
        session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "simulator disabled"));
      } catch (IOException e) {
        LOG.fine(() -> "binance simulator: close failed: " + e.getMessage());
      }
      return;
    }
    simulator = running.get();
    guard(session, () -> simulator.opened(session, streamsOf(session)));
  }

  /** The {@code streams} query parameter, as the container decoded it. */
  static String streamsOf(Session session) {
    List<String> values = session.getRequestParameterMap().get("streams");
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void text(Session session, String text) {
    if (simulator != null) {
      guard(session, () -> simulator.text(session, text));
    }
  }

  @OnMessage
  public void pong(Session session, PongMessage pong) {
    if (simulator != null) {
      guard(session, () -> simulator.pong(session, pong.getApplicationData()));
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
    LOG.fine(() -> "binance simulator session " + session.getId() + ": " + error);
  }

  private static void guard(Session session, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "binance simulator session " + session.getId() + " failed", e);
    }
  }
}
