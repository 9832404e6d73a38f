package io.tickrelay.protocol;

/** A peer's message broke the protocol; carries the Alpaca error to answer with. */
public final class ProtocolException extends Exception {

  private final AlpacaError error;

  public ProtocolException(AlpacaError error, String detail) {
    super(error.code() + " " + error.message() + ": " + detail, null, false, false);
    this.error = error;
  }

  public AlpacaError error() {
    return error;
  }
}
