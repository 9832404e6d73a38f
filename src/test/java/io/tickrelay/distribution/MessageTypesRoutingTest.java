package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.PassThrough;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import io.tickrelay.marketdata.TradingStatus;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where statuses, LULD bands, imbalances, corrections, cancels and passed-through messages go, over
 * real sockets against an in-process {@link ClientHub}: to their channel's subscribers, corrections
 * and cancels to the symbol's trades subscribers (Alpaca, upstream-protocols.md §1.4), an unknown
 * type to the symbol's subscribers on any channel, each client once.
 */
class MessageTypesRoutingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant AT = Instant.parse("2026-11-20T15:30:00.123456789Z");
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + HubServer.KEY + "\",\"secret\":\"" + HubServer.SECRET + "\"}";
  private static HubServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new HubServer(HubServer.settings());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WsProbe subscribed(String subscribe) throws Exception {
    WsProbe probe = WsProbe.connect(server.uri("sip"));
    probe.send(AUTH);
    probe.awaitText("authenticated", WAIT);
    if (subscribe != null) {
      probe.send(subscribe);
      probe.awaitText("subscription", WAIT);
    }
    return probe;
  }

  private static void publish(MarketEvent... events) {
    long head = server.hub().head(Streams.STOCKS);
    server.hub().publish(Streams.STOCKS, List.of(events));
    Await.until("journaled", WAIT, () -> server.hub().head(Streams.STOCKS) >= head + events.length);
  }

  private static long count(List<String> frames, String fragment) {
    return frames.stream()
        .mapToLong(f -> f.split(java.util.regex.Pattern.quote(fragment), -1).length - 1)
        .sum();
  }

  static PassThrough pricing(String symbol) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (!symbol.isEmpty()) {
      fields.put("S", symbol);
    }
    fields.put("mp", 97000.5);
    fields.put("t", "2026-11-20T15:30:00Z");
    return new PassThrough("p", symbol, Instant.parse("2026-11-20T15:30:00Z"), fields);
  }

  @Test
  void eachTypeReachesItsChannelsSubscribersAndNoOneElse() throws Exception {
    try (WsProbe trades = subscribed("{\"action\":\"subscribe\",\"trades\":[\"IONM\"]}");
        WsProbe notices = subscribed(
            "{\"action\":\"subscribe\",\"statuses\":[\"IONM\"],\"lulds\":[\"*\"],\"imbalances\":[\"IONM\"]}");
        WsProbe other = subscribed("{\"action\":\"subscribe\",\"trades\":[\"MSFT\"],\"statuses\":[\"MSFT\"]}")) {
      publish(
          new TradingStatus("IONM", "H", "Trading Halt", "T12", "Halted", AT, "C"),
          new Luld("IONM", 3.24, 2.65, "B", AT, "C"),
          new Imbalance("IONM", 3.01, AT, "C"),
          new TradeCorrection("IONM", "M", 5, 3.0, 100, List.of(" "), 6, 3.01, 100, List.of(" "), AT, "C"),
          new TradeCancel("IONM", 5, "M", 3.0, 100, TradeCancel.CANCEL, AT, "C"),
          ClientHubTest.trade("MSFT", 1, 410)); // the end marker for "other"
      String status = notices.awaitText("\"T\":\"s\"", WAIT);
      assertTrue(status.contains("\"T\":\"l\"") && status.contains("\"T\":\"i\""), status);
      assertFalse(status.contains("\"T\":\"c\"") || status.contains("\"T\":\"x\""), status);
      String correction = trades.awaitText("\"T\":\"c\"", WAIT);
      assertTrue(correction.contains("\"T\":\"x\""), "cancels follow trades too: " + correction);
      assertFalse(correction.contains("\"T\":\"s\"") || correction.contains("\"T\":\"l\""), correction);
      other.awaitText("\"S\":\"MSFT\"", WAIT);
      for (String type : List.of("s", "l", "i", "c", "x")) {
        assertEquals(0, count(other.received(), "\"T\":\"" + type + "\""), type);
      }
    }
  }

  @Test
  void anUnknownTypeReachesItsSymbolsSubscribersOnAnyChannelOnce() throws Exception {
    try (WsProbe quotes = subscribed("{\"action\":\"subscribe\",\"quotes\":[\"NVDA\"]}");
        WsProbe both = subscribed(
            "{\"action\":\"subscribe\",\"trades\":[\"NVDA\",\"*\"],\"statuses\":[\"NVDA\"]}");
        WsProbe elsewhere = subscribed("{\"action\":\"subscribe\",\"trades\":[\"AMD\"]}");
        WsProbe none = subscribed(null)) {
      publish(pricing("NVDA"), ClientHubTest.trade("AMD", 1, 150));
      assertTrue(quotes.awaitText("\"T\":\"p\"", WAIT).contains(
          "{\"T\":\"p\",\"S\":\"NVDA\",\"mp\":97000.5,\"t\":\"2026-11-20T15:30:00Z\"}"));
      both.awaitText("\"S\":\"AMD\"", WAIT); // by "*", after the pricing message
      assertEquals(1, count(both.received(), "\"T\":\"p\""), "once, though on three subscriptions");
      elsewhere.awaitText("\"S\":\"AMD\"", WAIT);
      assertEquals(0, count(elsewhere.received(), "\"T\":\"p\""));

      publish(pricing(""), ClientHubTest.trade("AMD", 2, 151));
      for (WsProbe subscriber : List.of(quotes, both, elsewhere)) {
        assertTrue(subscriber.awaitText("\"T\":\"p\"", WAIT).contains("{\"T\":\"p\",\"mp\""),
            "without a symbol: every client with a subscription");
      }
      Await.until("the end marker", WAIT, () -> count(elsewhere.received(), "\"i\":2") == 1);
      assertEquals(0, count(none.received(), "\"T\":\"p\""), "no subscription, no message");
    }
  }

  @Test
  void lastValuesServeStatusAndBandButCorrectionsDoNotReplaceTheLastTrade() throws Exception {
    publish(
        ClientHubTest.trade("INTC", 9, 22.8),
        new TradingStatus("INTC", "2", "Trading Halt", "M", "Volatility Trading Pause", AT, "C"),
        new Luld("INTC", 24.0, 21.6, "A", AT, "C"),
        new TradeCorrection("INTC", "Q", 9, 22.8, 100, List.of("@"), 10, 22.9, 100, List.of("@"), AT, "C"),
        new TradeCancel("INTC", 9, "Q", 22.8, 100, TradeCancel.ERROR, AT, "C"));
    try (WsProbe opted = subscribed(null)) {
      opted.send("{\"action\":\"x-options\",\"lastValue\":true}");
      opted.awaitText("x-options", WAIT);
      opted.send(
          "{\"action\":\"subscribe\",\"trades\":[\"INTC\"],\"statuses\":[\"INTC\"],\"lulds\":[\"INTC\"]}");
      opted.awaitText("subscription", WAIT);
      String last = opted.awaitText("\"T\":\"", WAIT);
      assertTrue(last.contains("\"T\":\"t\"") && last.contains("\"i\":9"), last);
      assertTrue(last.contains("\"T\":\"s\"") && last.contains("\"T\":\"l\""), last);
      assertFalse(last.contains("\"T\":\"c\"") || last.contains("\"T\":\"x\""), last);
    }
  }

  @Test
  void noneOfThemIsEverConflated() {
    for (MarketEvent event : List.<MarketEvent>of(
        new TradingStatus("A", "H", "", "", "", AT, "C"), new Luld("A", 1, 1, "A", AT, "C"),
        new Imbalance("A", 1, AT, "C"),
        new TradeCorrection("A", "Q", 1, 1, 1, List.of(), 2, 1, 1, List.of(), AT, "C"),
        new TradeCancel("A", 1, "Q", 1, 1, "C", AT, "C"), pricing("A"))) {
      assertNull(new Streamed(1, event).key(), event.toString());
    }
  }

  @Test
  void aResumeReplaysStatusesCorrectionsAndPassThroughsOfTheClientsSymbols() throws Exception {
    String epoch;
    long lastSeen;
    try (WsProbe before = subscribed(null)) {
      before.send("{\"action\":\"x-options\",\"sequence\":true}");
      String options = before.awaitText("x-options", WAIT);
      epoch = options.replaceAll(".*\"epoch\":\"([^\"]*)\".*", "$1");
      before.send("{\"action\":\"subscribe\",\"trades\":[\"TSLA\"],\"statuses\":[\"TSLA\"]}");
      before.awaitText("subscription", WAIT);
      publish(ClientHubTest.trade("TSLA", 1, 248));
      String seen = before.awaitText("\"x-seq\":", WAIT);
      lastSeen = Long.parseLong(seen.replaceAll(".*\"x-seq\":(\\d+).*", "$1"));
    }
    publish(
        new TradingStatus("TSLA", "H", "Trading Halt", "LUDP", "Volatility Trading Pause", AT, "C"),
        new TradeCorrection("TSLA", "Q", 1, 248, 100, List.of("@"), 2, 248.01, 100, List.of("@"), AT, "C"),
        pricing("TSLA"),
        pricing("AMZN"));
    try (WsProbe after = subscribed(null)) {
      after.send("{\"action\":\"x-options\",\"sequence\":true}");
      after.awaitText("x-options", WAIT);
      after.send("{\"action\":\"subscribe\",\"trades\":[\"TSLA\"],\"statuses\":[\"TSLA\"]}");
      after.awaitText("subscription", WAIT);
      after.send("{\"action\":\"x-resume\",\"epoch\":\"" + epoch + "\",\"seq\":" + lastSeen + "}");
      String done = after.awaitText("x-resumed", WAIT);
      // three events, and the release/hold-again x-gap pair: with no linger here the gateway let go
      // of TSLA upstream while no client wanted it, which the replay says (issue 13, honest resume)
      assertTrue(done.contains("\"count\":5") && done.contains("\"gaps\":2"), done);
      String replay = String.join("", after.received());
      assertTrue(replay.contains("\"T\":\"s\"") && replay.contains("\"T\":\"c\"")
          && replay.contains("{\"T\":\"p\",\"S\":\"TSLA\""), replay);
      assertFalse(replay.contains("AMZN"), "only the client's symbols: " + replay);
    }
  }
  /** A passed-through message whose field {@code v} is {@code levels} arrays deep. */
  private static PassThrough deep(String symbol, int levels) {
    Object value = 1L;
    for (int i = 0; i < levels; i++) {
      value = List.of(value);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("S", symbol);
    fields.put("v", value);
    return new PassThrough("zz", symbol, null, fields);
  }

  private static WsProbe msgpackSubscribed(String... trades) throws Exception {
    WsProbe sdk = WsProbe.connect(server.uri("sip"), Map.of("Content-Type", "application/msgpack"));
    sdk.awaitBinary(f -> SdkMsgpack.hasType(f, "success"), WAIT);
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("action", "auth");
    auth.put("key", HubServer.KEY);
    auth.put("secret", HubServer.SECRET);
    sdk.send(SdkMsgpack.pack(auth));
    sdk.awaitBinary(f -> SdkMsgpack.hasType(f, "success"), WAIT);
    Map<String, Object> subscribe = new LinkedHashMap<>();
    subscribe.put("action", "subscribe");
    subscribe.put("trades", List.of(trades));
    sdk.send(SdkMsgpack.pack(subscribe));
    sdk.awaitBinary(f -> SdkMsgpack.hasType(f, "subscription"), WAIT);
    return sdk;
  }

  /** Waits until msgpack frames have carried every trade id in {@code ids}. */
  private static void awaitTrades(WsProbe sdk, long... ids) throws InterruptedException {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    java.util.Set<Long> wanted = new java.util.HashSet<>();
    for (long id : ids) {
      wanted.add(id);
    }
    while (!seen.containsAll(wanted)) {
      sdk.awaitBinary(f -> seen.addAll(tradeIds(f)), WAIT); // frames with nothing new are skipped
    }
  }

  private static List<Long> tradeIds(byte[] frame) {
    try {
      return SdkMsgpack.frame(frame).stream()
          .filter(m -> m.get("T").asStringValue().asString().equals("t"))
          .map(m -> m.get("i").asIntegerValue().toLong()).toList();
    } catch (java.io.IOException | RuntimeException notAFrame) {
      return List.of();
    }
  }

  /**
   * A passed-through message nested deeper than the JSON writer's old fixed 32-level stack threw
   * on the fan-out thread: the round was lost for every client after the first that got it, the
   * trades beside it included, and a resume replayed the same exception. Now it reaches JSON and
   * msgpack clients alike, and so does everything beside it.
   */
  @Test
  void aDeeplyNestedPassThroughCostsNoClientItsRound() throws Exception {
    try (WsProbe json = subscribed("{\"action\":\"subscribe\",\"trades\":[\"DEEP\",\"FLAT\"]}");
        WsProbe flat = subscribed("{\"action\":\"subscribe\",\"trades\":[\"FLAT\"]}");
        WsProbe sdk = msgpackSubscribed("DEEP", "FLAT")) {
      publish(deep("DEEP", 40), ClientHubTest.trade("DEEP", 1, 10), deep("DEEP", 1000),
          ClientHubTest.trade("FLAT", 2, 20));
      json.awaitText("\"i\":2,", WAIT);
      assertEquals(1, count(json.received(), "\"i\":1,"));
      awaitTrades(sdk, 1, 2);
      flat.awaitText("\"i\":2,", WAIT);
      String all = String.join("", json.received());
      assertTrue(all.contains("\"v\":" + "[".repeat(40) + "1" + "]".repeat(40) + "}"), all);
      assertTrue(all.contains("[".repeat(1000) + "1"), "1000 levels delivered");
    }
  }

  /** A value no writer knows what to do with (its text throws): only that message is lost. */
  @Test
  void aMessageThatCannotBeEncodedIsSkippedAloneLiveAndOnResume() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("S", "ODD");
    fields.put("v", new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("injected: unencodable");
      }
    });
    PassThrough unencodable = new PassThrough("zz", "ODD", null, fields);
    String epoch;
    try (WsProbe first = subscribed("{\"action\":\"subscribe\",\"trades\":[\"ODD\"]}");
        WsProbe second = subscribed("{\"action\":\"subscribe\",\"trades\":[\"ODD\"]}");
        WsProbe sdk = msgpackSubscribed("ODD");
        WsProbe sequenced = subscribed(null)) {
      sequenced.send("{\"action\":\"x-options\",\"sequence\":true}");
      String options = sequenced.awaitText("x-options", WAIT);
      epoch = options.replaceAll(".*\"epoch\":\"([^\"]*)\".*", "$1");
      sequenced.send("{\"action\":\"subscribe\",\"trades\":[\"ODD\"]}");
      sequenced.awaitText("subscription", WAIT);
      publish(ClientHubTest.trade("ODD", 1, 1));
      String seen = sequenced.awaitText("\"x-seq\":", WAIT);
      long lastSeen = Long.parseLong(seen.replaceAll(".*\"x-seq\":(\\d+).*", "$1"));

      publish(unencodable, ClientHubTest.trade("ODD", 2, 2), unencodable,
          ClientHubTest.trade("ODD", 3, 3));
      for (WsProbe probe : List.of(first, second, sequenced)) {
        probe.awaitText("\"i\":3,", WAIT);
        assertEquals(1, count(probe.received(), "\"i\":2,"));
        assertEquals(0, count(probe.received(), "\"T\":\"zz\""));
      }
      awaitTrades(sdk, 2, 3);

      try (WsProbe resumed = subscribed(null)) {
        resumed.send("{\"action\":\"x-options\",\"sequence\":true}");
        resumed.awaitText("x-options", WAIT);
        resumed.send("{\"action\":\"subscribe\",\"trades\":[\"ODD\"]}");
        resumed.awaitText("subscription", WAIT);
        resumed.send("{\"action\":\"x-resume\",\"epoch\":\"" + epoch + "\",\"seq\":" + lastSeen + "}");
        resumed.awaitText("x-resumed", WAIT);
        String replay = String.join("", resumed.received());
        assertTrue(replay.contains("\"i\":2,") && replay.contains("\"i\":3,"), replay);
        assertTrue(resumed.isOpen(), "the resuming client stays connected");
      }
    }
  }
}
