package io.tickrelay.marketdata;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A subscribable channel, named as on the client's wire: Alpaca's stock and crypto channels
 * (upstream-protocols.md §1.4), the account's trade updates and the gateway's own published
 * channels. Which path offers which channels is the distribution side's business.
 */
public enum Channel {
  TRADES("trades"),
  QUOTES("quotes"),
  BARS("bars"),
  UPDATED_BARS("updatedBars"),
  DAILY_BARS("dailyBars"),
  STATUSES("statuses"),
  LULDS("lulds"),
  IMBALANCES("imbalances"),
  /** Alpaca crypto order books ({@code T:"o"}). */
  ORDERBOOKS("orderbooks"),
  /** The account's order events from Alpaca's trading stream ({@code trade_updates}). */
  TRADE_UPDATES("trade_updates"),
  /** Channels fed by internal producers through the publish API; symbols are channel names. */
  PUBLISHED("channels");

  /** The stock stream's channels, in Alpaca's acknowledgement order. */
  public static final Set<Channel> STOCK =
      Collections.unmodifiableSet(EnumSet.range(TRADES, IMBALANCES));

  /** The crypto stream's channels (upstream-protocols.md §1.4, crypto v1beta3). */
  public static final Set<Channel> CRYPTO =
      Collections.unmodifiableSet(
          EnumSet.of(TRADES, QUOTES, BARS, UPDATED_BARS, DAILY_BARS, ORDERBOOKS));

  private final String wireName;

  Channel(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Channel> fromWireName(String name) {
    for (Channel channel : values()) {
      if (channel.wireName.equals(name)) {
        return Optional.of(channel);
      }
    }
    return Optional.empty();
  }
}
