package io.tickrelay.distribution;

import io.tickrelay.protocol.HandshakeCapture;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.Optional;

/**
 * The gateway's published channels, {@code /x/v1/channels}: Alpaca's conversation, with the
 * channel names under the {@code channels} key (docs/PROTOCOL.md); a thin shell over {@link
 * ClientSessions}, {@code @Dependent} for injection on Liberty. Its callbacks never throw.
 */
@Dependent
@ServerEndpoint(value = "/x/v1/channels", configurator = HandshakeCapture.class)
public class ChannelsEndpoint {

  @Inject ClientSessions clients;

  private final ClientCallbacks callbacks = new ClientCallbacks();

  @OnOpen
  public void open(Session session) {
    callbacks.open(clients, session, Optional.of(StreamPath.channels()));
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
