package io.tickrelay.protocol;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the handshake's headers for the session: Alpaca clients choose msgpack through
 * {@code Content-Type} and may authenticate with {@code APCA-API-KEY-ID}/{@code
 * APCA-API-SECRET-KEY}. WebSocket 2.1 makes the user properties seen here a per-connection copy
 * (Jakarta WebSocket 2.1 spec §4.5, "Handshake modification").
 */
public class HandshakeCapture extends ServerEndpointConfig.Configurator {

  static final String HEADERS = HandshakeCapture.class.getName() + ".headers";

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    config.getUserProperties().put(HEADERS, Map.copyOf(request.getHeaders()));
  }

  /** The headers captured for a session, by the user properties the session started with. */
  @SuppressWarnings("unchecked")
  public static Map<String, List<String>> headers(Map<String, Object> userProperties) {
    Object headers = userProperties.get(HEADERS);
    return headers instanceof Map<?, ?> map ? (Map<String, List<String>>) map : Map.of();
  }

  /** The first value of a header, matched without regard to case (RFC 9110 §5.1). */
  public static Optional<String> header(Map<String, List<String>> headers, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() != null
          && header.getKey().toLowerCase(Locale.ROOT).equals(wanted)
          && !header.getValue().isEmpty()) {
        return Optional.of(header.getValue().get(0));
      }
    }
    return Optional.empty();
  }
}
