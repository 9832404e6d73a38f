package io.tickrelay.status;

import io.tickrelay.upstream.SafeUrl;
import io.tickrelay.upstream.UpstreamStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One upstream connection as operators read it: {@link UpstreamStatus} plus what can be derived
 * from it (ages, fallback, tier), with the URL stripped of anything that could carry a secret.
 *
 * @param fallback the feed in use is not the first preference (a {@code 409} moved it down)
 * @param tier what the feed in use says about the account's plan
 * @param healthy authenticated and serving; the same rule as readiness
 * @param errors failures since start; each one was followed by a reconnect attempt
 */
public record UpstreamView(
    String connection,
    String provider,
    String stream,
    String url,
    List<String> feeds,
    String feed,
    String feedReason,
    boolean fallback,
    String tier,
    String state,
    Instant since,
    String reason,
    boolean healthy,
    boolean escalated,
    Instant startedAt,
    Instant lastMessageAt,
    Long lastMessageAgeMillis,
    Instant lastDataAt,
    Long pingRoundTripMillis,
    long messagesIn,
    long bytesIn,
    int reconnects,
    int errors,
    int consecutiveFailures,
    int slowClientDisconnects,
    UpstreamStatus.LastError lastError,
    Map<String, Set<String>> droppedChannels,
    Instant nextAttemptAt) {

  static UpstreamView of(UpstreamStatus s, Instant now) {
    int rank = s.feed() == null ? -1 : s.feeds().indexOf(s.feed());
    return new UpstreamView(
        s.connection(),
        s.provider(),
        s.stream(),
        redacted(s.url()),
        s.feeds(),
        s.feed(),
        s.feedReason(),
        rank > 0,
        tier(s.feeds(), rank),
        s.state().name(),
        s.since(),
        s.reason(),
        s.live(),
        s.escalated(),
        s.startedAt(),
        s.lastMessageAt(),
        s.lastMessageAt() == null ? null : Duration.between(s.lastMessageAt(), now).toMillis(),
        s.lastDataAt(),
        s.pingRoundTrip() == null ? null : s.pingRoundTrip().toMillis(),
        s.messagesIn(),
        s.bytesIn(),
        s.reconnects(),
        s.reconnects(),
        s.consecutiveFailures(),
        s.slowClientDisconnects(),
        s.lastError(),
        s.droppedChannels(),
        s.nextAttemptAt());
  }

  /** The plan as the feed chain reveals it: falling back past a feed means the plan lacks it. */
  static String tier(List<String> feeds, int rank) {
    if (rank < 0) {
      return "unknown until the first feed is live";
    }
    String feed = feeds.get(rank).toUpperCase(Locale.ROOT);
    if (rank == 0) {
      return feed + " (the preferred feed)";
    }
    List<String> lacking = feeds.subList(0, rank).stream().map(f -> f.toUpperCase(Locale.ROOT)).toList();
    return feed + " (plan lacks " + String.join(", ", lacking) + ")";
  }

  /** Already stripped by the connection; stripped again here so no caller can forget it. */
  static String redacted(String url) {
    return SafeUrl.of(url);
  }

}
