package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an outage may have cost one stream: the symbols per channel that were subscribed upstream,
 * the window {@code [from, to)} in which nothing arrived, and, where known, the last trade id
 * seen per symbol before it (providers that page by trade id start after it). {@code feed} is
 * the stream's upstream feed at the time ({@code sip}, {@code iex}; the location for crypto).
 */
public record MissedWindow(
    String stream,
    String feed,
    Map<Channel, Set<String>> symbols,
    Instant from,
    Instant to,
    Map<String, Long> lastTradeIds) {

  public MissedWindow {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("empty window: " + from + " .. " + to);
    }
    Map<Channel, Set<String>> copy = new LinkedHashMap<>();
    symbols.forEach((channel, names) -> {
      if (!names.isEmpty()) {
        copy.put(channel, Set.copyOf(names));
      }
    });
    symbols = Map.copyOf(copy);
    lastTradeIds = Map.copyOf(lastTradeIds);
  }

  /** A window without known trade ids. */
  public MissedWindow(
      String stream, String feed, Map<Channel, Set<String>> symbols, Instant from, Instant to) {
    this(stream, feed, symbols, from, to, Map.of());
  }
}
