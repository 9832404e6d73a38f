package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.upstream.FailureReaction;
import io.tickrelay.upstream.Frame;
import io.tickrelay.upstream.Inbound;
import io.tickrelay.upstream.SubscriptionRequest;
import io.tickrelay.upstream.UnreadableFrame;
import io.tickrelay.upstream.UpstreamProtocol;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinanceProtocolTest {

  private final BinanceProtocol protocol = new BinanceProtocol(BinanceSymbols.defaults(), 3, 1024,
      Duration.parse("PT23H50M"), Clock.fixed(Instant.parse("2026-12-01T22:00:00Z"), ZoneOffset.UTC));

  private static String text(SubscriptionRequest request) {
    return ((Frame.Text) request.frame()).text();
  }

  @Test
  void deltasBecomeSubscribeAndUnsubscribeWithFreshIds() {
    List<SubscriptionRequest> requests = protocol.requests(
        Interest.of(Map.of(Channel.TRADES, List.of("BTC/USDT"), Channel.QUOTES, List.of("BTC/USDT", "ETH/BTC"))),
        Interest.of(Channel.BARS, "BTC/USDT"));
    assertEquals(2, requests.size());
    assertEquals("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@bookTicker\","
        + "\"ethbtc@bookTicker\"],\"id\":1}", text(requests.get(0)));
    assertEquals(1L, requests.get(0).id());
    assertEquals(Interest.of(Map.of(Channel.TRADES, List.of("BTC/USDT"), Channel.QUOTES,
        List.of("BTC/USDT", "ETH/BTC"))), requests.get(0).subject());
    assertEquals("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@kline_1m\"],\"id\":2}", text(requests.get(1)));
    assertEquals(Interest.none(), requests.get(1).subject());
  }

  @Test
  void pairsBinanceCannotServeAreLeftOut() {
    List<SubscriptionRequest> requests = protocol.requests(Interest.of(Map.of(
        Channel.TRADES, List.of("*", "BTC/USD", "ETH/USDT"), Channel.ORDERBOOKS, List.of("BTC/USDT"))),
        Interest.none());
    assertEquals(1, requests.size());
    assertEquals("{\"method\":\"SUBSCRIBE\",\"params\":[\"ethusdt@trade\"],\"id\":1}", text(requests.get(0)));
  }

  @Test
  void bigDeltasAreSplitIntoSeveralMessages() {
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      symbols.add("C" + i + "/USDT");
    }
    List<SubscriptionRequest> requests = protocol.requests(Interest.of(Map.of(Channel.TRADES, symbols)), Interest.none());
    assertEquals(3, requests.size());
    assertEquals(450, requests.stream().mapToInt(r -> r.subject().symbolCount()).sum());
  }

  @Test
  void theUrlCarriesTheDemandItHolds() {
    Interest demand = Interest.of(Map.of(Channel.TRADES, List.of("BTC/USDT"), Channel.BARS, List.of("ETH/BTC", "*")));
    UpstreamProtocol.Target target = protocol.target(URI.create("wss://stream.binance.com:9443"), "spot", demand);
    assertEquals(URI.create("wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethbtc@kline_1m"), target.uri());
    assertEquals(Interest.of(Map.of(Channel.TRADES, List.of("BTC/USDT"), Channel.BARS, List.of("ETH/BTC"))),
        target.carried(), "the wildcard is not carried, so it is not counted as held");
    assertEquals(URI.create("ws://h/x/stream"), protocol.target(URI.create("ws://h/x"), "spot", Interest.none()).uri());
  }

  @Test
  void decodesDataWithIdentityAcksByIdAndErrors() throws UnreadableFrame {
    List<Inbound> items = protocol.decode("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1,"
        + "\"s\":\"BTCUSDT\",\"t\":77,\"p\":\"1.5\",\"q\":\"2\",\"T\":3,\"m\":true,\"M\":true}}");
    Inbound.Data data = assertInstanceOf(Inbound.Data.class, items.get(0));
    assertEquals("BTC/USDT", ((CryptoTrade) data.event()).symbol());
    assertEquals(new BinanceProtocol.Identity("t:BTC/USDT", 77), data.identity());
    assertEquals(List.of(new Inbound.Ack(5L, null)), protocol.decode("{\"result\":null,\"id\":5}"));
    assertEquals(List.of(new Inbound.ProviderError(2, "Invalid request: invalid stream", 6L)),
        protocol.decode("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":6}"));
    assertEquals(List.of(), protocol.decode("{\"e\":\"depthUpdate\"}"));
    assertThrows(UnreadableFrame.class, () -> protocol.decode("{oops"));
    Inbound.ProviderError shutdown = assertInstanceOf(Inbound.ProviderError.class,
        protocol.decode("{\"e\":\"serverShutdown\",\"E\":1}").get(0));
    assertEquals(FailureReaction.ROTATE, protocol.classify(shutdown.code()).reaction());
  }

  @Test
  void limitsAndErrorTable() {
    assertEquals(Duration.ofNanos(333_333_333), protocol.controlPace(), "3/s leaves two of Binance's 5 for a ping and a pong");
    assertEquals(1024, protocol.maxSubscriptions());
    assertEquals(UpstreamProtocol.KeepaliveMode.CLIENT_PINGS, protocol.keepalive(), "silence is no stall on Binance");
    assertEquals(Duration.parse("PT23H50M"), protocol.maxSessionAge());
    assertEquals(FailureReaction.THROTTLED, protocol.classify(429).reaction());
    assertEquals(FailureReaction.THROTTLED, protocol.classify(418).reaction());
    assertEquals(FailureReaction.REJECT_REQUEST, protocol.classify(2).reaction());
    assertEquals(FailureReaction.CARRY_ON, protocol.classify(3).reaction());
    assertEquals(FailureReaction.RECONNECT, protocol.classify(99).reaction());
    assertTrue(protocol.conversation(null).opened().live(), "no login on market streams");
    assertThrows(IllegalArgumentException.class,
        () -> new BinanceProtocol(BinanceSymbols.defaults(), 6, 1024, Duration.ZERO, Clock.systemUTC()));
    assertThrows(IllegalArgumentException.class,
        () -> new BinanceProtocol(BinanceSymbols.defaults(), 4, 1025, Duration.ZERO, Clock.systemUTC()));
  }
}
