package io.tickrelay.distribution;

import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.HandshakeCapture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/** Auth from the handshake: Alpaca's key headers, or HTTP Basic as Alpaca's Broker API uses. */
final class HeaderAuth {

  private static final Logger LOG = Logger.getLogger(HeaderAuth.class.getName());

  private HeaderAuth() {}

  static Optional<ClientMessage.Auth> from(Map<String, List<String>> headers) {
    Optional<String> key = HandshakeCapture.header(headers, "APCA-API-KEY-ID");
    Optional<String> secret = HandshakeCapture.header(headers, "APCA-API-SECRET-KEY");
    if (key.isPresent() && secret.isPresent()) {
      return Optional.of(new ClientMessage.Auth(key.get(), secret.get()));
    }
    Optional<String> authorization = HandshakeCapture.header(headers, "Authorization");
    if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(authorization.get().substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          return Optional.of(
              new ClientMessage.Auth(pair.substring(0, colon), pair.substring(colon + 1)));
        }
      } catch (IllegalArgumentException notBase64) {
        LOG.fine("Authorization header is not Base64; waiting for an auth message");
      }
    }
    return Optional.empty();
  }
}
