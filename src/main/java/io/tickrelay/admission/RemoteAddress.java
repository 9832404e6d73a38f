package io.tickrelay.admission;

import io.tickrelay.protocol.HandshakeCapture;
import java.util.List;
import java.util.Map;

/**
 * The remote address of a WebSocket client. Jakarta WebSocket has no portable way to ask for it,
 * so {@link RemoteAddressFilter} puts the servlet request's address into the upgrade request as
 * a header of its own (replacing any the client sent), where the endpoint's handshake capture
 * keeps it with the others.
 */
public final class RemoteAddress {

  /** The header the filter sets; a value a client sent under this name never survives it. */
  public static final String HEADER = "X-Tickrelay-Remote-Address";

  private RemoteAddress() {}

  /** The address from the captured handshake headers; null when no filter set it. */
  public static String of(Map<String, List<String>> headers) {
    return HandshakeCapture.header(headers, HEADER).orElse(null);
  }
}
