package io.tickrelay.trading;

import io.tickrelay.admission.ClientAdmission;
import io.tickrelay.admission.Refusal;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.protocol.HandshakeCapture;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Alpaca's trading stream on the gateway, {@code /stream}; a thin shell over {@link
 * TradingClients} whose callbacks never throw ({@code @Dependent} for injection on Liberty).
 */
@Dependent
@ServerEndpoint(value = "/stream", configurator = HandshakeCapture.class)
public class TradingStreamEndpoint {

  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(TradingStreamEndpoint.class.getName());

  @Inject TradingClients clients;
  @Inject GatewayConfig config;
  @Inject ClientAdmission admission;

  private volatile TradingClient client;
  // the hub may close the socket before opened() returns; close() then finds no client
  private volatile boolean closed;

  @OnOpen
  public void open(Session session) {
    try {
      if (!config.alpacaTradeUpdates()) {
        // no trading upstream: an unknown feed, as for every path without one, never an
        // "authorized" followed by silence
        admission.admission().refusals().count(Refusal.UNKNOWN_FEED);
        closeUnknown(session);
        return;
      }
      client = clients.hub().opened(session);
      if (closed) {
        close();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "trading client " + session.getId() + ": open failed", e);
    }
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void text(String text) {
    if (client != null) {
      guard(() -> clients.hub().text(client, text));
    }
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void binary(byte[] frame) {
    if (client != null) {
      guard(() -> clients.hub().binary(client, frame));
    }
  }

  @OnClose
  public void close() {
    closed = true;
    if (client != null) {
      guard(() -> clients.hub().closed(client));
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.fine(() -> "trading client " + session.getId() + ": " + error);
  }

  private static void closeUnknown(Session session) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown feed"));
    } catch (IOException e) {
      LOG.fine(() -> "trading client " + session.getId() + ": close failed: " + e);
    }
  }

  private void guard(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, client.describe() + ": handling failed", e);
    }
  }
}
