package io.tickrelay.distribution;

import jakarta.websocket.Session;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket callbacks of one client connection, shared by every client endpoint (stocks,
 * crypto, published channels), so each endpoint class is only its path. Never throws: a failure
 * is logged once with the client's context.
 */
final class ClientCallbacks {

  /**
   * The container's hard limit (1009 beyond it). Alpaca SDKs split big subscribe messages into
   * 32 KiB fragments; the hub answers messages over its own, lower limit with 400.
   */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(ClientCallbacks.class.getName());

  private volatile ClientSession client;
  // the hub may close the socket before opened() returns (a refused header auth): close() then
  // finds no client, and open() lets it go itself
  private volatile boolean closed;

  void open(ClientSessions clients, Session session, Optional<StreamPath> path) {
    session.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
    session.setMaxBinaryMessageBufferSize(MAX_MESSAGE_BYTES);
    try {
      client = clients.hub().opened(session, path);
      if (closed) {
        close(clients);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "client " + session.getId() + ": open failed", e);
    }
  }

  void text(ClientSessions clients, String text) {
    if (client != null) {
      try {
        clients.hub().text(client, text);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, client.describe() + ": message handling failed", e);
      }
    }
  }

  void binary(ClientSessions clients, byte[] frame) {
    if (client != null) {
      try {
        clients.hub().binary(client, frame);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, client.describe() + ": message handling failed", e);
      }
    }
  }

  void close(ClientSessions clients) {
    closed = true;
    ClientSession client = this.client;
    if (client != null) {
      try {
        clients.hub().closed(client); // at most once in effect, however often it is called
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, client.describe() + ": close handling failed", e);
      }
    }
  }

  void error(Session session, Throwable error) {
    // logged once here; the container closes the session and close() cleans up
    LOG.fine(() -> "client " + session.getId() + ": " + error);
  }
}
