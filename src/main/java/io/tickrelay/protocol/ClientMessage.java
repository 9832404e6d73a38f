package io.tickrelay.protocol;

import io.tickrelay.marketdata.Interest;

/** A message a client sends on an Alpaca stream. */
public sealed interface ClientMessage {

  /** {@code {"action":"auth","key":...,"secret":...}}. */
  record Auth(String key, String secret) implements ClientMessage {
    @Override
    public String toString() {
      return "Auth[key=" + key + ", secret=<redacted>]";
    }
  }

  /** {@code {"action":"subscribe"|"unsubscribe", "<channel>":[symbols]...}}. */
  record Subscription(boolean subscribe, Interest interest) implements ClientMessage {}
}
