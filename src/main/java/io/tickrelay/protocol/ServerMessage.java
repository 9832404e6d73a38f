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

  /** A data message the gateway understands. */
  record Data(MarketEvent event) implements ServerMessage {}

  /** A data message of a type the gateway does not model yet; kept so it can be counted. */
  record Unmodelled(String type) implements ServerMessage {}
}
