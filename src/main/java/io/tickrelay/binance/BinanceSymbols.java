package io.tickrelay.binance;

import io.tickrelay.marketdata.Channel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps gateway symbols ({@code BTC/USDT}) and channels to Binance stream names ({@code
 * btcusdt@trade}) and back. Binance symbols carry no separator, so the split point is found by the
 * longest configured quote asset that ends the symbol ({@code ETHBTC} is ETH/BTC, {@code BNBFDUSD}
 * is BNB/FDUSD).
 */
public final class BinanceSymbols {

  /** Quote assets used when configuration names none. */
  public static final List<String> DEFAULT_QUOTE_ASSETS =
      List.of("USDT", "USDC", "FDUSD", "BTC", "ETH", "BNB", "EUR", "TRY");

  private static final Pattern ASSET = Pattern.compile("[A-Z0-9]+");

  private final List<String> quoteAssets;

  public BinanceSymbols(List<String> quoteAssets) {
    List<String> assets = new ArrayList<>();
    for (String asset : quoteAssets) {
      String upper = asset.trim().toUpperCase(Locale.ROOT);
      if (!upper.isEmpty()) {
        if (!ASSET.matcher(upper).matches()) {
          throw new IllegalArgumentException("quote asset must be letters and digits: " + asset);
        }
        assets.add(upper);
      }
    }
    if (assets.isEmpty()) {
      throw new IllegalArgumentException("at least one quote asset is needed");
    }
    assets.sort(Comparator.comparingInt(String::length).reversed());
    this.quoteAssets = List.copyOf(assets);
  }

  public static BinanceSymbols defaults() {
    return new BinanceSymbols(DEFAULT_QUOTE_ASSETS);
  }

  /** {@code BTCUSDT} (any case) as {@code BTC/USDT}; empty when no quote asset ends it. */
  public Optional<String> toGateway(String binanceSymbol) {
    String upper = binanceSymbol.toUpperCase(Locale.ROOT);
    for (String quote : quoteAssets) {
      if (upper.length() > quote.length() && upper.endsWith(quote)) {
        return Optional.of(upper.substring(0, upper.length() - quote.length()) + "/" + quote);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code BTC/USDT} as {@code BTCUSDT}; empty unless it is BASE/QUOTE with a configured quote
   * asset, so that every symbol sent upstream maps back to the same gateway symbol.
   */
  public Optional<String> toBinance(String gatewaySymbol) {
    int slash = gatewaySymbol.indexOf('/');
    if (slash <= 0 || slash != gatewaySymbol.lastIndexOf('/')) {
      return Optional.empty();
    }
    String base = gatewaySymbol.substring(0, slash);
    String quote = gatewaySymbol.substring(slash + 1);
    if (!ASSET.matcher(base).matches() || !quoteAssets.contains(quote)) {
      return Optional.empty();
    }
    String joined = base + quote;
    return toGateway(joined).filter(gatewaySymbol::equals).map(s -> joined);
  }

  /** The stream carrying {@code channel} for {@code gatewaySymbol}; empty when Binance offers none. */
  public Optional<String> streamName(Channel channel, String gatewaySymbol) {
    Optional<String> suffix = BinanceChannels.suffix(channel);
    if (suffix.isEmpty()) {
      return Optional.empty();
    }
    return toBinance(gatewaySymbol).map(s -> s.toLowerCase(Locale.ROOT) + "@" + suffix.get());
  }

  /** A stream name as (channel, gateway symbol); empty for streams the gateway does not use. */
  public Optional<StreamKey> parseStream(String streamName) {
    int at = streamName.indexOf('@');
    if (at <= 0) {
      return Optional.empty();
    }
    Optional<Channel> channel = BinanceChannels.channelOf(streamName.substring(at + 1));
    Optional<String> symbol = toGateway(streamName.substring(0, at));
    if (channel.isEmpty() || symbol.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StreamKey(channel.get(), symbol.get()));
  }

  /** One (channel, gateway symbol) pair, as a Binance stream carries it. */
  public record StreamKey(Channel channel, String symbol) {}
}
