package io.tickrelay.upstream;

/**
 * The provider-neutral rows of the error table (handshake statuses, network failures, stalls,
 * undocumented codes) and the row type providers build their own tables from; a provider's codes
 * are classified by its {@link UpstreamProtocol#classify}.
 */
public final class ErrorStrategies {

  /** One row of the table. */
  public record ErrorStrategy(int code, FailureReaction reaction, String meaning, String remedy) {}

  private static final ErrorStrategy NETWORK =
      new ErrorStrategy(0, FailureReaction.RECONNECT, "the connection failed or closed abruptly",
          "check network access to the provider; the gateway reconnects with backoff");

  private static final ErrorStrategy STALL =
      new ErrorStrategy(0, FailureReaction.RECONNECT,
          "the connection stalled: open but silent", "none: the gateway reconnects");

  private static final ErrorStrategy AUTH_TIMEOUT =
      new ErrorStrategy(0, FailureReaction.RECONNECT, "authentication did not complete in time",
          "check network latency to the provider; the gateway retries");

  private ErrorStrategies() {}

  /** A row, for provider tables. */
  public static ErrorStrategy row(int code, FailureReaction reaction, String meaning, String remedy) {
    return new ErrorStrategy(code, reaction, meaning, remedy);
  }

  /** The row for a code the provider does not document: reconnect with backoff. */
  public static ErrorStrategy unknown(int code) {
    return new ErrorStrategy(code, FailureReaction.RECONNECT, "an error the provider does not document",
        "none: the gateway reconnects with backoff");
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
          "check the provider's stream URL setting (e.g. TICKRELAY_ALPACA_STREAM_URL) and the API key");
    }
    return new ErrorStrategy(status, FailureReaction.RECONNECT,
        "the provider refused the handshake (HTTP " + status + ")",
        "none: the gateway reconnects with backoff");
  }

  /** The row for a network error or an abrupt close. */
  public static ErrorStrategy network() {
    return NETWORK;
  }

  /** The row for an open connection that went silent (no pong, or no data in the silence window). */
  public static ErrorStrategy stall() {
    return STALL;
  }

  /** The row for a conversation that did not reach "live" within the auth timeout. */
  public static ErrorStrategy authTimeout() {
    return AUTH_TIMEOUT;
  }
}
