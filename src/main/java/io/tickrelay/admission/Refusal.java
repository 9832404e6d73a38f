package io.tickrelay.admission;

import io.tickrelay.protocol.AlpacaError;

/**
 * Every kind of refusal a client can meet, by the name status and metrics give it: one catalogue,
 * so that a new refusal is counted by naming it here and calling {@link Refusals#count}.
 */
public enum Refusal {
  /** The gateway holds its maximum of client sockets ({@code 406}, close 1013). */
  CONNECTION_CAP("connectionCap"),
  /** The credential holds its maximum of connections ({@code 406}). */
  CREDENTIAL_CAP("credentialCap"),
  /** Too many sockets from one address that have not authenticated yet (close 1013). */
  UNAUTHENTICATED_CAP("unauthenticatedCap"),
  /** Wrong key or secret ({@code 402}). */
  AUTH_FAILED("authFailed"),
  /** No successful authentication within the auth timeout ({@code 404}). */
  AUTH_TIMEOUT("authTimeout"),
  /** Too many failed authentications from the key or address lately ({@code 429}). */
  AUTH_THROTTLED("authThrottled"),
  /** A message that needs authentication before it ({@code 401}). */
  NOT_AUTHENTICATED("notAuthenticated"),
  /** Closed for flooding messages ({@code 429}). */
  FLOOD("flood"),
  /** Cut off as a slow client ({@code 407}). */
  SLOW("slow"),
  /** Not entitled to the path or what it asked for ({@code 409}). */
  NOT_ENTITLED("notEntitled"),
  /** Past the credential's symbol limit ({@code 405}). */
  SYMBOL_LIMIT("symbolLimit"),
  /** A channel the path does not offer ({@code 410}). */
  INVALID_SUBSCRIBE("invalidSubscribe"),
  /** Unreadable or oversized message ({@code 400}). */
  INVALID_SYNTAX("invalidSyntax"),
  /** Re-authentication on a socket already authenticated ({@code 403}). */
  ALREADY_AUTHENTICATED("alreadyAuthenticated"),
  /** A WebSocket upgrade from an Origin not allowed (HTTP 403). */
  ORIGIN_REFUSED("originRefused"),
  /** A path without an upstream here: an unknown feed or location (close 1003). */
  UNKNOWN_FEED("unknownFeed");

  private final String key;

  Refusal(String key) {
    this.key = key;
  }

  /** The name in status ({@code clients.refusals}) and the metrics' {@code kind} tag. */
  public String key() {
    return key;
  }

  /** The refusal an Alpaca error answer stands for; null for one that is no refusal (500). */
  public static Refusal of(AlpacaError error) {
    switch (error) {
      case INVALID_SYNTAX:
        return INVALID_SYNTAX;
      case NOT_AUTHENTICATED:
        return NOT_AUTHENTICATED;
      case AUTH_FAILED:
        return AUTH_FAILED;
      case ALREADY_AUTHENTICATED:
        return ALREADY_AUTHENTICATED;
      case AUTH_TIMEOUT:
        return AUTH_TIMEOUT;
      case SYMBOL_LIMIT_EXCEEDED:
        return SYMBOL_LIMIT;
      case CONNECTION_LIMIT_EXCEEDED:
        return CREDENTIAL_CAP;
      case SLOW_CLIENT:
        return SLOW;
      case INSUFFICIENT_SUBSCRIPTION:
        return NOT_ENTITLED;
      case INVALID_SUBSCRIBE_ACTION:
        return INVALID_SUBSCRIBE;
      default:
        return null;
    }
  }
}
