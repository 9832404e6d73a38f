package io.tickrelay.upstream;

import io.tickrelay.marketdata.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The counters and last-seen values of one connection; guarded by the connection's lock. */
final class ConnectionFigures {

  Instant startedAt;
  long messagesIn;
  long bytesIn;
  Instant lastMessageAt;
  Instant lastDataAt;
  Duration pingRoundTrip;
  int reconnects;
  int consecutiveFailures;
  boolean escalated;
  /** The failure run began with a quick retry (see {@link UpstreamSettings.QuickReconnect}). */
  boolean quickRetried;
  int slowClientDisconnects;
  UpstreamStatus.LastError lastError;
  Instant nextAttemptAt;
  final Map<String, Set<Channel>> droppedChannels = new TreeMap<>();

  void received(int bytes, Instant at) {
    bytesIn += bytes;
    lastMessageAt = at;
  }

  void failed(ErrorStrategies.ErrorStrategy row, String message, Instant at) {
    consecutiveFailures++;
    reconnects++;
    lastError = new UpstreamStatus.LastError(row.code(), message, row.meaning(), row.remedy(), at);
  }

  boolean dropped(String feed, Channel channel) {
    return droppedChannels.getOrDefault(feed, Set.of()).contains(channel);
  }

  void drop(String feed, Channel channel) {
    droppedChannels.computeIfAbsent(feed, f -> new TreeSet<>()).add(channel);
  }

  Map<String, Set<String>> droppedChannelNames() {
    Map<String, Set<String>> names = new TreeMap<>();
    droppedChannels.forEach(
        (feed, channels) -> {
          Set<String> set = new TreeSet<>();
          channels.forEach(c -> set.add(c.wireName()));
          names.put(feed, Set.copyOf(set));
        });
    return Map.copyOf(names);
  }
}
