package io.tickrelay.binance;

import io.tickrelay.marketdata.Channel;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway channels Binance spot can serve and the stream each comes from: trades from {@code
 * @trade} (one event per fill, with its own id, like Alpaca's trades; {@code @aggTrade} would merge
 * fills of one taker order and lose the per-trade ids the overlap dedupe and clients rely on),
 * quotes from {@code @bookTicker}, minute bars from closed {@code @kline_1m}. Order books, daily and
 * updated bars are not offered.
 */
public final class BinanceChannels {

  /** Channels the {@code /v1beta3/crypto/binance} path offers. */
  public static final Set<Channel> OFFERED =
      Collections.unmodifiableSet(EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BARS));

  static final String TRADE = "trade";
  static final String BOOK_TICKER = "bookTicker";
  static final String KLINE_1M = "kline_1m";

  private BinanceChannels() {}

  static Optional<String> suffix(Channel channel) {
    return switch (channel) {
      case TRADES -> Optional.of(TRADE);
      case QUOTES -> Optional.of(BOOK_TICKER);
      case BARS -> Optional.of(KLINE_1M);
      default -> Optional.empty();
    };
  }

  static Optional<Channel> channelOf(String suffix) {
    return switch (suffix) {
      case TRADE -> Optional.of(Channel.TRADES);
      case BOOK_TICKER -> Optional.of(Channel.QUOTES);
      case KLINE_1M -> Optional.of(Channel.BARS);
      default -> Optional.empty();
    };
  }
}
