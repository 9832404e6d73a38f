package io.tickrelay.distribution;

import io.tickrelay.config.Credential;
import io.tickrelay.config.Entitlements;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.SymbolListing;
import io.tickrelay.protocol.AlpacaError;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a client credential's grants let it do on a path, in one place (the grammar is in README
 * and docs/PROTOCOL.md, "Credentials and grants"): the answer to its authentication and to each
 * subscribe, either empty (allowed) or the Alpaca error the hub sends and counts.
 */
final class Grants {

  /** The order flow on {@code /stream} (the trading hub checks it); never implied by {@code *}. */
  static final String TRADE_UPDATES = "trade_updates";

  /** The right to subscribe {@code *}; never implied by the {@code *} grant. */
  static final String WILDCARD = "wildcard";

  /**
   * The stock feeds served: every {@code /v2/{feed}} path reads the one stock upstream, on the
   * best feed the account allows (sip, else iex). {@code delayed_sip}, {@code test} (FAKEPACA
   * only, upstream-protocols.md §1.9), {@code boats} and {@code overnight} mean other data, so
   * they are refused until an upstream of their own exists, never served real-time SIP.
   */
  static final Set<String> SERVED_STOCK_FEEDS = Set.of("sip", "iex");

  private Grants() {}

  /**
   * Whether {@code grant} is a word of the grammar; any other grants nothing (a typo such as
   * {@code trade_update} is warned about at start).
   */
  static boolean known(String grant) {
    if (grant.equals(Credential.ALL_FEEDS) || grant.equals(WILDCARD)
        || grant.equals(StreamPath.CRYPTO_TOKEN) || grant.equals(StreamPath.CHANNELS_TOKEN)
        || grant.equals(TRADE_UPDATES) || StreamPath.STOCK_FEEDS.contains(grant)) {
      return true;
    }
    if (grant.startsWith(StreamPath.CRYPTO_TOKEN + "/")) {
      return StreamPath.CRYPTO_LOCATIONS.contains(grant.substring(StreamPath.CRYPTO_TOKEN.length() + 1));
    }
    return grant.startsWith(StreamPath.CHANNELS_TOKEN + "/")
        && grant.length() > StreamPath.CHANNELS_TOKEN.length() + 1;
  }

  /**
   * At authentication: {@code 409 insufficient subscription}, Alpaca's answer at auth for a feed
   * outside the plan, which every SDK takes as final (upstream-protocols.md §1.6), when the
   * credential lacks the path's grant or the gateway serves no such feed.
   */
  static Optional<AlpacaError> authentication(StreamPath path, Credential credential) {
    boolean served = path.kind() != StreamPath.Kind.STOCKS || SERVED_STOCK_FEEDS.contains(path.name());
    return served && path.admits(credential)
        ? Optional.empty()
        : Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
  }

  /**
   * At subscribe, before anything changes (each refusal leaves the previous set, as Alpaca's 405
   * does, upstream-protocols.md §1.4): {@code 410} for a channel the path does not offer, {@code
   * 409} for a published channel not granted, {@code 405} for {@code *} without the wildcard grant
   * or on a stream whose symbols are listed (Binance takes named streams only), {@code 400} for a
   * symbol the provider does not list (Alpaca's answer for an invalid symbol, §1.4/§1.6), and
   * {@code 405} beyond the credential's symbol limit, where {@code *} brings every symbol and so
   * counts as the whole limit, the named symbols beside it being among those.
   *
   * @param requested what the subscribe asks for
   * @param next the client's whole subscription if it is granted
   */
  static Optional<AlpacaError> subscription(
      StreamPath path,
      Credential credential,
      Interest requested,
      Interest next,
      Entitlements entitlements,
      SymbolListing listing) {
    if (!path.offers(requested)) {
      return Optional.of(AlpacaError.INVALID_SUBSCRIBE_ACTION);
    }
    if (!path.entitles(credential, requested)) {
      return Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
    }
    boolean listed = listing.covers(path.stream());
    if (hasWildcard(requested) && (listed || !credential.names(WILDCARD))) {
      return Optional.of(AlpacaError.SYMBOL_LIMIT_EXCEEDED);
    }
    if (listed && !allListed(requested, path.stream(), listing)) {
      return Optional.of(AlpacaError.INVALID_SYNTAX);
    }
    int limit = entitlements.of(credential.key()).symbols();
    if (!hasWildcard(next) && distinctSymbols(next) > limit) {
      return Optional.of(AlpacaError.SYMBOL_LIMIT_EXCEEDED);
    }
    return Optional.empty();
  }

  /** A configured word as it may be logged: printable ASCII, at most 40 characters. */
  static String printable(String word) {
    String cut = word.length() > 40 ? word.substring(0, 40) + "..." : word;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static boolean hasWildcard(Interest interest) {
    for (Channel channel : interest.channels()) {
      if (interest.symbols(channel).contains(Interest.WILDCARD)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allListed(Interest requested, String stream, SymbolListing listing) {
    for (Channel channel : requested.channels()) {
      for (String symbol : requested.symbols(channel)) {
        if (!listing.lists(stream, symbol)) {
          return false;
        }
      }
    }
    return true;
  }

  private static int distinctSymbols(Interest interest) {
    Set<String> symbols = new HashSet<>();
    for (Channel channel : interest.channels()) {
      symbols.addAll(interest.symbols(channel));
    }
    return symbols.size();
  }
}
