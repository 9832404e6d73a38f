package io.tickrelay.upstream;

import java.io.IOException;

/** The server answered the WebSocket upgrade with an HTTP status other than 101. */
public final class HandshakeRefused extends IOException {

  private final int status;

  public HandshakeRefused(int status, String detail) {
    super("handshake refused with HTTP " + status + (detail == null ? "" : ": " + detail));
    this.status = status;
  }

  public int status() {
    return status;
  }
}
