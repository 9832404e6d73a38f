package io.tickrelay.protocol;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text (JSON) or binary (msgpack) frames, chosen by the handshake's {@code Content-Type} header
 * (Alpaca docs, streaming-market-data §Content type).
 */
public enum WireFormat {
  JSON,
  MSGPACK;

  public static WireFormat fromHeaders(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if ("content-type".equalsIgnoreCase(header.getKey())) {
        for (String value : header.getValue()) {
          if (value.toLowerCase(Locale.ROOT).contains("application/msgpack")) {
            return MSGPACK;
          }
        }
      }
    }
    return JSON;
  }

  public WireCodec codec() {
    return this == JSON ? JsonCodec.INSTANCE : MsgpackCodec.INSTANCE;
  }
}
