package io.tickrelay.publish;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * The key and secret a producer sends: Alpaca's REST headers {@code APCA-API-KEY-ID} and
 * {@code APCA-API-SECRET-KEY} (as the gateway's WebSocket handshake accepts them), or HTTP Basic
 * (RFC 7617) with the key as user name.
 */
record PublisherAuth(String key, String secret) {

  static final String KEY_HEADER = "APCA-API-KEY-ID";
  static final String SECRET_HEADER = "APCA-API-SECRET-KEY";

  /** {@code header} answers a request header's value by name, or null. */
  static Optional<PublisherAuth> from(Function<String, String> header) {
    String key = header.apply(KEY_HEADER);
    String secret = header.apply(SECRET_HEADER);
    if (key != null && secret != null) {
      return Optional.of(new PublisherAuth(key.trim(), secret.trim()));
    }
    String authorization = header.apply("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String pair;
    try {
      pair = new String(
          Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    int colon = pair.indexOf(':');
    return colon > 0
        ? Optional.of(new PublisherAuth(pair.substring(0, colon), pair.substring(colon + 1)))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return "PublisherAuth[key=" + key + "]";
  }
}
