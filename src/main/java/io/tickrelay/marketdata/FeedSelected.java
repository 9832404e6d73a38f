package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * An upstream connection of a stream went live on a feed (for example {@code sip}, or {@code iex}
 * after a fallback), with the reason; clients of that stream may be told where their data comes
 * from.
 */
public record FeedSelected(String stream, String connection, String feed, String reason, Instant at) {}
