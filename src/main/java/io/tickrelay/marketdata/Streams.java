package io.tickrelay.marketdata;

/**
 * Names of the gateway's streams. A stream is one ordered sequence of events with its own
 * subscribers, journal and upstream: every {@code /v2/{feed}} client shares {@link #STOCKS}, each
 * crypto location is its own, and so are the trading stream and the published channels.
 */
public final class Streams {

  /** Alpaca stocks: every {@code /v2/{feed}} path, served from the one stock upstream. */
  public static final String STOCKS = "stocks";

  /** The account's trade updates, served on {@code /stream}. */
  public static final String TRADING = "trading";

  /** Events published by internal producers through {@code POST /api/v1/publish/{channel}}. */
  public static final String PUBLISHED = "published";

  private static final String CRYPTO_PREFIX = "crypto/";

  private Streams() {}

  /** The crypto stream of a location on {@code /v1beta3/crypto/{loc}}: {@code us}, {@code binance}... */
  public static String crypto(String location) {
    return CRYPTO_PREFIX + location;
  }

  public static boolean isCrypto(String stream) {
    return stream.startsWith(CRYPTO_PREFIX);
  }
}
