package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.MarketEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link MissedWindow}: the recovered events of every channel in time order (ties
 * keep the provider's order, which is id order within a symbol) and, per channel asked for, what
 * was recovered and what could not be.
 */
public record Recovered(
    String stream,
    Instant from,
    Instant to,
    List<MarketEvent> events,
    Map<Channel, ChannelRecovery> channels) {

  public Recovered {
    events = List.copyOf(events);
    channels = Map.copyOf(channels);
  }

  /** True when every channel asked for was recovered completely. */
  public boolean complete() {
    return channels.values().stream().noneMatch(c -> c.outcome().lossy());
  }
}
