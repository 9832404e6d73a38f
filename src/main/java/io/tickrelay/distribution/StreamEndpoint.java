package io.tickrelay.distribution;

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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Alpaca-compatible stock stream {@code /v2/{feed}}; a thin shell over {@link ClientSessions}.
 * {@code @Dependent} makes it a CDI bean on Open Liberty, where injection into endpoints otherwise
 * fails (toolchain.md §6.2). Its callbacks never throw.
 */
@Dependent
@ServerEndpoint(value = "/v2/{feed}", configurator = HandshakeCapture.class)
public class StreamEndpoint {

  /**
   * The container's hard limit (1009 beyond it). Alpaca SDKs split big subscribe messages into
   * 32 KiB fragments; the hub answers messages over its own, lower limit with 400.
   */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(StreamEndpoint.class.getName());

  @Inject ClientSessions clients;

  private ClientSession client;

  @OnOpen
  public void open(Session session, @PathParam("feed") String feed) {
    session.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
    session.setMaxBinaryMessageBufferSize(MAX_MESSAGE_BYTES);
    try {
      client = clients.hub().opened(session, feed);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "client " + session.getId() + ": open failed", e);
    }
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void text(String text) {
    if (client != null) {
      try {
        clients.hub().text(client, text);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, client.describe() + ": message handling failed", e);
      }
    }
  }

  @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
  public void binary(byte[] frame) {
    if (client != null) {
      try {
        clients.hub().binary(client, frame);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, client.describe() + ": message handling failed", e);
      }
    }
  }

  @OnClose
  public void close(CloseReason reason) {
    if (client != null) {
      try {
        clients.hub().closed(client);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, client.describe() + ": close handling failed", e);
      }
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    // logged once here; the container closes the session and close() cleans up
    LOG.fine(() -> "client " + session.getId() + ": " + error);
  }
}
