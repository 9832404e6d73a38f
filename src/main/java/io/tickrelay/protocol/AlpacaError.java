package io.tickrelay.protocol;

/** Alpaca's stream error codes with their exact messages (upstream-protocols.md §1.6). */
public enum AlpacaError {
  INVALID_SYNTAX(400, "invalid syntax"),
  NOT_AUTHENTICATED(401, "not authenticated"),
  AUTH_FAILED(402, "auth failed"),
  ALREADY_AUTHENTICATED(403, "already authenticated"),
  AUTH_TIMEOUT(404, "auth timeout"),
  SYMBOL_LIMIT_EXCEEDED(405, "symbol limit exceeded"),
  CONNECTION_LIMIT_EXCEEDED(406, "connection limit exceeded"),
  SLOW_CLIENT(407, "slow client"),
  INSUFFICIENT_SUBSCRIPTION(409, "insufficient subscription"),
  INVALID_SUBSCRIBE_ACTION(410, "invalid subscribe action for this feed"),
  INTERNAL_ERROR(500, "internal error");

  private final int code;
  private final String message;

  AlpacaError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  public String message() {
    return message;
  }

  /** The error with this code, or {@code null} for a code Alpaca does not document. */
  public static AlpacaError ofCode(int code) {
    for (AlpacaError error : values()) {
      if (error.code == code) {
        return error;
      }
    }
    return null;
  }
}
