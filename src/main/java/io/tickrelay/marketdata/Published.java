package io.tickrelay.marketdata;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An event an internal producer published on a gateway channel (signals, executions...);
 * {@code json} is its validated JSON payload, {@code publisher} the producer's key.
 */
public record Published(String channelName, String publisher, String json, Instant timestamp)
    implements MarketEvent {

  /** A channel's name, as published to and subscribed: lower case, digits, {@code . _ -}, up to 64. */
  public static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  @Override
  public String symbol() {
    return channelName;
  }

  @Override
  public Channel channel() {
    return Channel.PUBLISHED;
  }
}
