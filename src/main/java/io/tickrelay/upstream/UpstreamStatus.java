package io.tickrelay.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A point-in-time view of one upstream connection for health and status; never holds a secret.
 *
 * @param stream the gateway stream the connection serves ({@link io.tickrelay.marketdata.Streams})
 * @param feeds the feed preference chain; {@code feed} is the one in use, {@code feedReason} why
 * @param lastMessageAt null until the first message; {@code pingRoundTrip} null until a pong
 * @param escalated consecutive failures reached the escalation threshold
 * @param lastError null when nothing has gone wrong yet
 * @param droppedChannels channels the provider said a feed does not offer (410)
 * @param startedAt when the gateway created this connection; {@code lastDataAt} when market data
 *     (not a control message) last arrived, null until then
 */
public record UpstreamStatus(
    String connection,
    String provider,
    String stream,
    String url,
    List<String> feeds,
    String feed,
    String feedReason,
    UpstreamState state,
    Instant since,
    String reason,
    boolean escalated,
    Instant lastMessageAt,
    Duration pingRoundTrip,
    long messagesIn,
    long bytesIn,
    int reconnects,
    int consecutiveFailures,
    int slowClientDisconnects,
    LastError lastError,
    Map<String, Set<String>> droppedChannels,
    Instant nextAttemptAt,
    Instant startedAt,
    Instant lastDataAt) {

  /** The most recent failure with what it means and what to do. */
  public record LastError(int code, String message, String meaning, String remedy, Instant at) {}

  public boolean live() {
    return state == UpstreamState.CONNECTED;
  }
}
