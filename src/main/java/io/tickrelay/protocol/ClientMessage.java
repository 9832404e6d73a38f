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

  /**
   * Gateway extension {@code {"action":"x-options",...}}: opt-in behaviour for this session
   * (docs/PROTOCOL.md). {@code maxPerSecond} 0 means no cap.
   */
  record Options(boolean lastValue, boolean sequence, int maxPerSecond, boolean feedNotices)
      implements ClientMessage {
    public static final Options NONE = new Options(false, false, 0, false);
  }

  /** Gateway extension {@code {"action":"x-resume","epoch":...,"seq":...}}. */
  record Resume(String epoch, long seq) implements ClientMessage {}
}
