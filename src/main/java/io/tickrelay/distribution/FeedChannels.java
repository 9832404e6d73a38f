package io.tickrelay.distribution;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which channels each stock feed path offers; subscribing to another is {@code 410 invalid
 * subscribe action for this feed}. Alpaca's test stream carries only trades, quotes and bars of
 * {@code FAKEPACA} (upstream-protocols.md §1.4); the real feeds carry every stock channel, and no crypto, trading or published one.
 */
final class FeedChannels {

  static final Set<String> STOCK_FEEDS =
      Set.of("sip", "iex", "delayed_sip", "test", "boats", "overnight");

  private static final Map<String, Set<Channel>> LIMITED =
      Map.of("test", EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BARS));

  private FeedChannels() {}

  static boolean offers(String feed, Interest requested) {
    Set<Channel> offered = LIMITED.getOrDefault(feed, Channel.STOCK);
    return offered.containsAll(requested.channels());
  }
}
