package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * An upstream connection went live on a feed (for example {@code sip}, or {@code iex} after a
 * fallback), with the reason; clients may be told which feed their data comes from.
 */
public record FeedSelected(String connection, String feed, String reason, Instant at) {}
