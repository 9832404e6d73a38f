package io.tickrelay.upstream;

import java.util.Map;

/**
 * The one table of what each upstream failure means, what the gateway does about it and what an
 * operator can do (Alpaca codes: upstream-protocols.md §1.6; handshake statuses: §1.6 "HTTP-level").
 */
public final class ErrorStrategies {

  /** One row of the table. */
  public record ErrorStrategy(int code, FailureReaction reaction, String meaning, String remedy) {}

  private static final Map<Integer, ErrorStrategy> ALPACA =
      Map.ofEntries(
          row(400, FailureReaction.CARRY_ON, "the provider could not parse a message we sent",
              "a gateway bug: report it with the log line before this one"),
          row(401, FailureReaction.RECONNECT, "a request arrived before authentication",
              "none: the gateway reconnects and authenticates first"),
          row(402, FailureReaction.RECONNECT_SLOWLY, "the provider rejected the API key or secret",
              "check APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper and live keys differ)"),
          row(403, FailureReaction.CARRY_ON, "authenticated twice on one connection",
              "none: harmless"),
          row(404, FailureReaction.RECONNECT, "authentication did not complete in time",
              "check network latency to the provider; the gateway retries"),
          row(405, FailureReaction.REJECT_REQUEST, "the plan's symbol limit would be exceeded",
              "subscribe fewer symbols or upgrade the plan; the previous set stays"),
          row(406, FailureReaction.WAIT_FOR_SLOT,
              "another connection holds this account's only stream slot",
              "stop the other consumer of this key (or wait ~90 s for a dead one to be reaped)"),
          row(407, FailureReaction.RECONNECT_COUNTED, "the provider cut us off for reading too slowly",
              "give the gateway more CPU or fewer symbols; the gateway reconnects"),
          row(409, FailureReaction.NEXT_FEED, "the plan does not include this feed",
              "use a feed the plan includes (TICKRELAY_ALPACA_FEEDS) or upgrade the plan"),
          row(410, FailureReaction.DROP_CHANNEL, "a channel is not offered on this feed",
              "none: the gateway stops asking for it on this feed"),
          row(500, FailureReaction.RECONNECT, "the provider had an internal error",
              "none: the gateway reconnects with backoff"));

  private static final ErrorStrategy UNKNOWN =
      new ErrorStrategy(0, FailureReaction.RECONNECT, "an error the provider does not document",
          "none: the gateway reconnects with backoff");

  private static final ErrorStrategy NETWORK =
      new ErrorStrategy(0, FailureReaction.RECONNECT, "the connection failed or closed abruptly",
          "check network access to the provider; the gateway reconnects with backoff");

  private ErrorStrategies() {}

  private static Map.Entry<Integer, ErrorStrategy> row(
      int code, FailureReaction reaction, String meaning, String remedy) {
    return Map.entry(code, new ErrorStrategy(code, reaction, meaning, remedy));
  }

  /** The row for an Alpaca error code sent in a {@code T:"error"} message. */
  public static ErrorStrategy forCode(int code) {
    ErrorStrategy row = ALPACA.get(code);
    return row != null ? row : new ErrorStrategy(code, UNKNOWN.reaction(), UNKNOWN.meaning(), UNKNOWN.remedy());
  }

  /** The row for an HTTP status that refused the WebSocket handshake. */
  public static ErrorStrategy forHandshakeStatus(int status) {
    if (status == 429 || status == 503) {
      return new ErrorStrategy(status, FailureReaction.THROTTLED,
          "the provider refused the handshake (HTTP " + status + "): too many connection attempts",
          "none: the gateway backs off with a higher floor");
    }
    if (status == 401 || status == 403 || status == 404) {
      return new ErrorStrategy(status, FailureReaction.RECONNECT_SLOWLY,
          "the provider refused the handshake (HTTP " + status + "): wrong URL or credentials",
          "check TICKRELAY_ALPACA_STREAM_URL and the API key");
    }
    return new ErrorStrategy(status, FailureReaction.RECONNECT,
        "the provider refused the handshake (HTTP " + status + ")",
        "none: the gateway reconnects with backoff");
  }

  /** The row for a network error or an abrupt close. */
  public static ErrorStrategy network() {
    return NETWORK;
  }
}
