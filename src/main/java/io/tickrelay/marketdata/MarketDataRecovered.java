package io.tickrelay.marketdata;

import java.util.List;

/**
 * Events of a stream recovered from the provider's history after an outage, in time order: the
 * distribution side delivers, as ordinary messages, those it has not already delivered live (the
 * same trade id, the same bar), so a client gets each trade once.
 *
 * @param stream the gateway stream they belong to ({@link Streams})
 */
public record MarketDataRecovered(String stream, List<MarketEvent> events) {

  public MarketDataRecovered {
    events = List.copyOf(events);
  }
}
