package io.tickrelay.protocol;

import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;

/** One element of a frame an Alpaca stream server sends. */
public sealed interface ServerMessage {

  /** {@code {"T":"success","msg":...}}: {@code connected} or {@code authenticated}. */
  record Success(String msg) implements ServerMessage {}

  /** {@code {"T":"error","code":...,"msg":...}}. */
  record Failure(int code, String msg) implements ServerMessage {}

  /** {@code {"T":"subscription",...}}: the full subscription state after a change. */
  record SubscriptionState(Interest interest) implements ServerMessage {}

  /**
   * A data message: a modelled record, or a {@link io.tickrelay.marketdata.PassThrough} for a type
   * the gateway does not model.
   */
  record Data(MarketEvent event) implements ServerMessage {}

  /** A data message whose fields do not fit its type (a string price, no timestamp); dropped. */
  record Malformed(String type) implements ServerMessage {}

  /**
   * A data message of a type the gateway passes through, nested deeper than {@link
   * #MAX_PASS_THROUGH_DEPTH} levels; refused, never relayed (docs/PROTOCOL.md, "Passed-through
   * messages").
   */
  record TooDeep(String type) implements ServerMessage {}

  /** Levels of objects and arrays a passed-through message may have, its own object counted. */
  int MAX_PASS_THROUGH_DEPTH = 32;
}
