package io.tickrelay.simulator;

import io.tickrelay.protocol.HandshakeCapture;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.util.Optional;

/** The simulator's crypto face, {@code /simulator/v1beta3/crypto/{loc}}; callbacks never throw. */
@Dependent
@ServerEndpoint(value = "/simulator/v1beta3/crypto/{loc}", configurator = HandshakeCapture.class)
public class CryptoSimulatorEndpoint {

  @Inject EmbeddedSimulator embedded;

  private AlpacaSimulator simulator;

  @OnOpen
  public void open(Session session, @PathParam("loc") String location) {
    Optional<AlpacaSimulator> running = SimulatorEndpoint.runningOrClose(embedded, session);
    if (running.isPresent()) {
      simulator = running.get();
      SimulatorEndpoint.guard(session, () -> simulator.openedCrypto(session, location));
    }
  }

  @OnMessage(maxMessageSize = SimulatorEndpoint.MAX_MESSAGE_BYTES)
  public void text(Session session, String text) {
    if (simulator != null) {
      SimulatorEndpoint.guard(session, () -> simulator.text(session, text));
    }
  }

  @OnMessage(maxMessageSize = SimulatorEndpoint.MAX_MESSAGE_BYTES)
  public void binary(Session session, byte[] frame) {
    if (simulator != null) {
      SimulatorEndpoint.guard(session, () -> simulator.binary(session, frame));
    }
  }

  @OnClose
  public void close(Session session) {
    if (simulator != null) {
      SimulatorEndpoint.guard(session, () -> simulator.closed(session));
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    SimulatorEndpoint.failed(session, error);
  }
}
