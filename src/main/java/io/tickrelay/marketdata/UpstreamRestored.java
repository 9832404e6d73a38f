package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * The outage an {@link UpstreamInterrupted} announced is over: the connection is live again with
 * its subscriptions restored (every request answered), or it was let go because no client wants
 * its data any more, in which case {@code restored} is empty. What arrived upstream between
 * {@code interruptedAt} and {@code restoredAt} was not received.
 *
 * @param interrupted what the connection held when its data stopped
 * @param restored what flows again now
 */
public record UpstreamRestored(
    String stream,
    String connection,
    String feed,
    Instant interruptedAt,
    Instant restoredAt,
    Interest interrupted,
    Interest restored) {}
