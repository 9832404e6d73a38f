package io.tickrelay.marketdata;

import java.util.List;

/**
 * Events that arrived together in one upstream frame, fired as a CDI event so the distribution
 * side can batch them for its clients.
 *
 * @param stream the gateway stream they belong to ({@link Streams})
 * @param feed the upstream feed the events came from (for example {@code iex})
 */
public record MarketDataReceived(String stream, String feed, List<MarketEvent> events) {

  public MarketDataReceived {
    events = List.copyOf(events);
  }
}
