package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * The data of one upstream connection of a stream stopped without a plan (the socket dropped, it
 * stalled, a reconnect was refused): from {@code since} the gateway receives nothing for
 * {@code interest} until the matching {@link UpstreamRestored}. A planned make-before-break
 * rotation loses nothing and fires none.
 *
 * @param connection the connection's name, which pairs this event with its {@link UpstreamRestored}
 * @param feed the feed the connection was live on
 * @param interest the (channel, symbol) pairs the connection held when its data stopped
 */
public record UpstreamInterrupted(
    String stream, String connection, String feed, Instant since, String reason, Interest interest) {}
