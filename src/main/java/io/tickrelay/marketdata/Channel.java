package io.tickrelay.marketdata;

import java.util.Optional;

/** A subscribable stock stream channel, named as on Alpaca's wire (upstream-protocols.md §1.4). */
public enum Channel {
  TRADES("trades"),
  QUOTES("quotes"),
  BARS("bars"),
  UPDATED_BARS("updatedBars"),
  DAILY_BARS("dailyBars"),
  STATUSES("statuses"),
  LULDS("lulds"),
  IMBALANCES("imbalances");

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
