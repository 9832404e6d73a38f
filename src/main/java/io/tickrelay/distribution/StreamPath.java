package io.tickrelay.distribution;

import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a client's WebSocket path stands for: the stream it reads, the channels it may subscribe
 * (anything else is {@code 410 invalid subscribe action for this feed}), the entitlement it needs,
 * and the shape of its subscription acknowledgement.
 *
 * @param name the feed ({@code iex}) or location ({@code us}, {@code binance}) in the path
 */
record StreamPath(Kind kind, String name, String stream, Set<Channel> offered) {

  /** Which family of paths; each has its own acknowledgement keys and entitlement tokens. */
  enum Kind {
    /** {@code /v2/{feed}}: every feed is served from the one stock upstream. */
    STOCKS,
    /** {@code /v1beta3/crypto/{loc}}: one stream per location. */
    CRYPTO,
    /** {@code /x/v1/channels}: the gateway's published channels (docs/PROTOCOL.md). */
    CHANNELS
  }

  /** Entitlement tokens in {@code TICKRELAY_CLIENTS}: {@code crypto} or {@code crypto/us}. */
  static final String CRYPTO_TOKEN = "crypto";

  /** {@code channels} (every published channel) or {@code channels/<name>}. */
  static final String CHANNELS_TOKEN = "channels";

  static final Set<String> STOCK_FEEDS =
      Set.of("sip", "iex", "delayed_sip", "test", "boats", "overnight");

  /** Alpaca's crypto locations (upstream-protocols.md §1.1) and the gateway's Binance spot. */
  static final Set<String> CRYPTO_LOCATIONS = Set.of("us", "us-1", "eu-1", "binance");

  /**
   * Alpaca's test stream carries only trades, quotes and bars of {@code FAKEPACA}
   * (upstream-protocols.md §1.4); the real feeds carry every stock channel.
   */
  private static final Set<Channel> TEST_FEED =
      EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BARS);

  /**
   * Binance spot offers trades, book tickers (quotes) and closed 1-minute klines (bars); it has no
   * order book, daily or updated bars in Alpaca's sense, so those are 410 on its path.
   */
  private static final Set<Channel> BINANCE =
      EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BARS);

  static Optional<StreamPath> stocks(String feed) {
    if (!STOCK_FEEDS.contains(feed)) {
      return Optional.empty();
    }
    Set<Channel> offered = feed.equals("test") ? TEST_FEED : Channel.STOCK;
    return Optional.of(new StreamPath(Kind.STOCKS, feed, Streams.STOCKS, offered));
  }

  static Optional<StreamPath> crypto(String location) {
    if (!CRYPTO_LOCATIONS.contains(location)) {
      return Optional.empty();
    }
    Set<Channel> offered = location.equals("binance") ? BINANCE : Channel.CRYPTO;
    return Optional.of(
        new StreamPath(Kind.CRYPTO, location, Streams.crypto(location), offered));
  }

  static StreamPath channels() {
    return new StreamPath(Kind.CHANNELS, CHANNELS_TOKEN, Streams.PUBLISHED, Set.of(Channel.PUBLISHED));
  }

  /** Whether some client path reads the stream (the trading stream has its own hub). */
  static boolean served(String stream) {
    return stream.equals(Streams.STOCKS)
        || stream.equals(Streams.PUBLISHED)
        || Streams.isCrypto(stream);
  }

  boolean offers(Interest requested) {
    return offered.containsAll(requested.channels());
  }

  /**
   * Whether the credential's grants name this path: market data (a stock feed, {@code crypto},
   * {@code crypto/<loc>}) is named or covered by {@code *}; published channels are always named.
   */
  boolean admits(Credential credential) {
    return switch (kind) {
      case STOCKS -> credential.allowsFeed(name);
      case CRYPTO -> credential.allowsFeed(CRYPTO_TOKEN)
          || credential.allowsFeed(CRYPTO_TOKEN + "/" + name);
      case CHANNELS -> credential.names(CHANNELS_TOKEN)
          || credential.feeds().stream().anyMatch(f -> f.startsWith(CHANNELS_TOKEN + "/"));
    };
  }

  /** Whether the credential may subscribe to every symbol of the request (published channels). */
  boolean entitles(Credential credential, Interest requested) {
    if (kind != Kind.CHANNELS || credential.names(CHANNELS_TOKEN)) {
      return true;
    }
    return requested.symbols(Channel.PUBLISHED).stream()
        .allMatch(name -> !name.equals(Interest.WILDCARD)
            && credential.names(CHANNELS_TOKEN + "/" + name));
  }

  @Override
  public String toString() {
    return switch (kind) {
      case STOCKS -> "/v2/" + name;
      case CRYPTO -> "/v1beta3/crypto/" + name;
      case CHANNELS -> "/x/v1/channels";
    };
  }
}
