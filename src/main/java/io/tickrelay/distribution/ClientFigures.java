package io.tickrelay.distribution;

import java.util.Map;

/**
 * A point-in-time view of the client side for status and metrics.
 *
 * @param connected open client connections, authenticated or not
 * @param admitted sockets every client-facing hub holds together ({@code /stream} too), against
 *     the shared cap
 * @param authenticated those of them that authenticated
 * @param cap connections the gateway accepts at once
 * @param perFeed open connections per requested feed path ({@code iex}, {@code sip}, ...)
 * @param messagesSent data messages handed to client sockets
 * @param framesSent frames (arrays of data messages) handed to client sockets
 * @param conflated waiting quotes and bars replaced by newer ones for slow clients
 * @param dropped waiting messages thrown away when a client was cut off or closed
 * @param slowClientDisconnects clients cut off with {@code 407 slow client}
 * @param floodClosures clients closed for flooding control messages
 * @param writesBlocked clients moved to asynchronous sends because a blocking write of theirs
 *     blocked (they read too slowly)
 * @param blockedWriters writer threads held by such a write right now
 * @param refusals refusals since start by kind (admission/Refusal), every hub together
 */
public record ClientFigures(
    int connected,
    int admitted,
    int authenticated,
    int cap,
    Map<String, Integer> perFeed,
    long messagesSent,
    long framesSent,
    long conflated,
    long dropped,
    long slowClientDisconnects,
    long floodClosures,
    long writesBlocked,
    int blockedWriters,
    Map<String, Long> refusals) {}
