package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * An event an internal producer published on a gateway channel (signals, executions...);
 * {@code json} is its validated JSON payload, {@code publisher} the producer's key.
 */
public record Published(String channelName, String publisher, String json, Instant timestamp)
    implements MarketEvent {

  @Override
  public String symbol() {
    return channelName;
  }

  @Override
  public Channel channel() {
    return Channel.PUBLISHED;
  }
}
