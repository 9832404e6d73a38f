package io.tickrelay.alpaca;

import io.tickrelay.upstream.ErrorStrategies;
import io.tickrelay.upstream.ErrorStrategies.ErrorStrategy;
import io.tickrelay.upstream.FailureReaction;
import java.util.Map;

/**
 * What each Alpaca stream error code means, what the gateway does about it and what an operator
 * can do (upstream-protocols.md §1.6).
 */
public final class AlpacaErrors {

  private static final Map<Integer, ErrorStrategy> TABLE =
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

  private AlpacaErrors() {}

  private static Map.Entry<Integer, ErrorStrategy> row(
      int code, FailureReaction reaction, String meaning, String remedy) {
    return Map.entry(code, ErrorStrategies.row(code, reaction, meaning, remedy));
  }

  /** The row for an Alpaca error code sent in a {@code T:"error"} message. */
  public static ErrorStrategy forCode(int code) {
    ErrorStrategy row = TABLE.get(code);
    return row != null ? row : ErrorStrategies.unknown(code);
  }
}
