package io.tickrelay.binance;

import io.tickrelay.upstream.ErrorStrategies;
import io.tickrelay.upstream.FailureReaction;

/**
 * Binance's error table (upstream-protocols.md §2.2, §2.3): the codes of {@code {"error":..}}
 * replies concern one request, never the connection; HTTP 429 on the handshake means too many
 * connection attempts and 418 an IP banned for ignoring 429s, both throttling.
 */
final class BinanceErrors {

  private BinanceErrors() {}

  static ErrorStrategies.ErrorStrategy forCode(int code) {
    return switch (code) {
      case 0 -> ErrorStrategies.row(0, FailureReaction.CARRY_ON, "unknown property in a SET/GET_PROPERTY",
          "none: a gateway bug, the connection is kept");
      case 1 -> ErrorStrategies.row(1, FailureReaction.CARRY_ON, "invalid value type in a request",
          "none: a gateway bug, the connection is kept");
      case 2 -> ErrorStrategies.row(2, FailureReaction.REJECT_REQUEST,
          "Binance refused a subscription request (invalid stream, too many streams)",
          "check the subscribed symbols; the previous subscriptions stay");
      case 3 -> ErrorStrategies.row(3, FailureReaction.CARRY_ON, "Binance could not parse a request as JSON",
          "none: a gateway bug, the connection is kept");
      case 418 -> ErrorStrategies.row(418, FailureReaction.THROTTLED,
          "Binance banned this IP for going on after HTTP 429", "none: the gateway backs off with a higher floor");
      case 429 -> ErrorStrategies.row(429, FailureReaction.THROTTLED,
          "Binance refused the handshake: more than 300 connection attempts in 5 minutes from this IP",
          "none: the gateway backs off with a higher floor");
      case BinanceProtocol.SERVER_SHUTDOWN -> ErrorStrategies.row(code, FailureReaction.ROTATE,
          "the Binance server announced its shutdown",
          "none: the gateway brings up a replacement before this connection goes (make-before-break)");
      default -> ErrorStrategies.unknown(code);
    };
  }
}
