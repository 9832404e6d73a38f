package io.tickrelay.distribution;

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

/**
 * The Alpaca-compatible crypto stream {@code /v1beta3/crypto/{loc}}, one stream per location (Alpaca's, and {@code binance} for Binance spot); a thin shell over {@link ClientSessions}.
 * {@code @Dependent} makes it a CDI bean on Open Liberty, where injection into endpoints otherwise
 * fails (toolchain.md §6.2). Its callbacks never throw.
 */
@Dependent
@ServerEndpoint(value = "/v1beta3/crypto/{loc}", configurator = HandshakeCapture.class)
public class CryptoStreamEndpoint {

  @Inject ClientSessions clients;

  private final ClientCallbacks callbacks = new ClientCallbacks();

  @OnOpen
  public void open(Session session, @PathParam("loc") String loc) {
    callbacks.open(clients, session, StreamPath.crypto(loc).filter(clients::serves));
  }

  @OnMessage(maxMessageSize = ClientCallbacks.MAX_MESSAGE_BYTES)
  public void text(String text) {
    callbacks.text(clients, text);
  }

  @OnMessage(maxMessageSize = ClientCallbacks.MAX_MESSAGE_BYTES)
  public void binary(byte[] frame) {
    callbacks.binary(clients, frame);
  }

  @OnClose
  public void close() {
    callbacks.close(clients);
  }

  @OnError
  public void error(Session session, Throwable error) {
    callbacks.error(session, error);
  }
}
