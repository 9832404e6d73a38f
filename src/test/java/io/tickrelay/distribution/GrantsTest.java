package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.config.Credential;
import io.tickrelay.config.Entitlements;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.SymbolListing;
import io.tickrelay.protocol.AlpacaError;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every grant and every refusal of the grammar in docs/PROTOCOL.md "Credentials and grants". */
class GrantsTest {

  private static final Entitlements LIMITS = Entitlements.parse("small:5:2", new Entitlements.Limits(10, 100));
  private static final SymbolListing BINANCE_LISTS_BTC = new SymbolListing() {
    @Override
    public boolean covers(String stream) {
      return stream.equals(Streams.crypto("binance"));
    }

    @Override
    public boolean lists(String stream, String symbol) {
      return symbol.equals("BTC/USDT");
    }
  };

  private static Credential granted(String key, String... grants) {
    return Credential.withPlainSecret(key, "s", Set.of(grants));
  }

  private static StreamPath stocks(String feed) {
    return StreamPath.stocks(feed).orElseThrow();
  }

  private static Optional<AlpacaError> subscribe(StreamPath path, Credential credential, Interest requested) {
    return Grants.subscription(path, credential, requested, requested, LIMITS, BINANCE_LISTS_BTC);
  }

  @Test
  void starGrantsEveryServedStockFeedAndCryptoLocation() {
    Credential star = granted("k", "*");
    assertEquals(Optional.empty(), Grants.authentication(stocks("sip"), star));
    assertEquals(Optional.empty(), Grants.authentication(stocks("iex"), star));
    assertEquals(Optional.empty(), Grants.authentication(StreamPath.crypto("us").orElseThrow(), star));
    assertEquals(Optional.empty(), Grants.authentication(StreamPath.crypto("binance").orElseThrow(), star));
  }

  @Test
  void feedsWithoutAnUpstreamOfTheirOwnAre409EvenWhenGranted() {
    for (String feed : Set.of("delayed_sip", "test", "boats", "overnight")) {
      assertEquals(Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION),
          Grants.authentication(stocks(feed), granted("k", feed, "*")), feed);
    }
  }

  @Test
  void aFeedNotGrantedIs409() {
    assertEquals(Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION),
        Grants.authentication(stocks("sip"), granted("k", "iex")));
    assertEquals(Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION),
        Grants.authentication(StreamPath.crypto("us").orElseThrow(), granted("k", "crypto/binance")));
  }

  @Test
  void starDoesNotGrantPublishedChannelsWhichAreAlwaysNamed() {
    assertEquals(Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION),
        Grants.authentication(StreamPath.channels(), granted("k", "*")));
    assertEquals(Optional.empty(), Grants.authentication(StreamPath.channels(), granted("k", "channels/signals")));
    assertEquals(Optional.of(AlpacaError.INSUFFICIENT_SUBSCRIPTION), subscribe(StreamPath.channels(),
        granted("k", "channels/signals"), Interest.of(Channel.PUBLISHED, "executions")));
    assertEquals(Optional.empty(), subscribe(StreamPath.channels(),
        granted("k", "channels"), Interest.of(Channel.PUBLISHED, "executions")));
  }

  @Test
  void theWildcardNeedsItsOwnGrant() {
    Interest all = Interest.of(Channel.QUOTES, "*");
    assertEquals(Optional.of(AlpacaError.SYMBOL_LIMIT_EXCEEDED), subscribe(stocks("sip"), granted("k", "*"), all));
    assertEquals(Optional.empty(), subscribe(stocks("sip"), granted("k", "*", "wildcard"), all));
  }

  @Test
  void aWildcardFillsTheLimitAndNamedSymbolsBesideItAddNothing() {
    Credential small = granted("small", "sip", "wildcard");
    Interest held = Interest.of(Channel.TRADES, "*").plus(Interest.of(Channel.QUOTES, "A", "B", "C"));
    assertEquals(Optional.empty(),
        Grants.subscription(stocks("sip"), small, Interest.of(Channel.QUOTES, "C"), held, LIMITS, SymbolListing.NONE));
    Interest three = Interest.of(Channel.QUOTES, "A", "B", "C");
    assertEquals(Optional.of(AlpacaError.SYMBOL_LIMIT_EXCEEDED),
        Grants.subscription(stocks("sip"), small, three, three, LIMITS, SymbolListing.NONE));
  }

  @Test
  void onAListedStreamUnlistedSymbolsAre400AndTheWildcardIs405() {
    StreamPath binance = StreamPath.crypto("binance").orElseThrow();
    Credential full = granted("k", "*", "wildcard");
    assertEquals(Optional.empty(), subscribe(binance, full, Interest.of(Channel.TRADES, "BTC/USDT")));
    assertEquals(Optional.of(AlpacaError.INVALID_SYNTAX),
        subscribe(binance, full, Interest.of(Channel.TRADES, "BTC/USDT", "Z1000Q/USDT")));
    assertEquals(Optional.of(AlpacaError.SYMBOL_LIMIT_EXCEEDED), subscribe(binance, full, Interest.of(Channel.TRADES, "*")));
    // streams no listing covers take any symbol
    assertEquals(Optional.empty(), subscribe(StreamPath.crypto("us").orElseThrow(), full,
        Interest.of(Channel.TRADES, "Z1000Q/USD")));
  }

  @Test
  void theGrammarsWordsAreKnownAndTyposAreNot() {
    for (String grant : Set.of("*", "sip", "iex", "delayed_sip", "test", "boats", "overnight", "crypto",
        "crypto/us", "crypto/binance", "trade_updates", "channels", "channels/signals", "wildcard")) {
      assertEquals(true, Grants.known(grant), grant);
    }
    for (String grant : Set.of("trade_update", "crypto/mars", "channels/", "SIP", "all")) {
      assertEquals(false, Grants.known(grant), grant);
    }
  }

  @Test
  void aChannelThePathDoesNotOfferIs410() {
    assertEquals(Optional.of(AlpacaError.INVALID_SUBSCRIBE_ACTION), subscribe(StreamPath.crypto("binance").orElseThrow(),
        granted("k", "*"), Interest.of(Channel.ORDERBOOKS, "BTC/USDT")));
  }
}
