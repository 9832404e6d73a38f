package io.tickrelay.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Component test: real WebSocket clients on an in-process {@code /stream} hub, fed by a real
 * trading upstream connection to the trading-stream simulator on the same free-port server.
 */
class TradingStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void anEntitledListenerReceivesTheFillTheSimulatorEmits() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe client = WsProbe.connect(server.uri("stream"))) {
      authenticate(client, "trader", "trader-secret");
      assertEquals("{\"stream\":\"authorization\",\"data\":{\"status\":\"authorized\",\"action\":\"authenticate\"}}",
          awaitJson(client, "authorization"));
      client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
      assertEquals("{\"stream\":\"listening\",\"data\":{\"streams\":[\"trade_updates\"]}}",
          awaitJson(client, "listening"));
      Await.until("the upstream to listen", WAIT, () -> server.simulator.listeners() == 1);

      server.simulator.fill("AAPL", "10", "187.25");

      JsonObject update = parse(awaitJson(client, "\"fill\""));
      assertEquals("trade_updates", update.getString("stream"));
      JsonObject data = update.getJsonObject("data");
      assertEquals("fill", data.getString("event"));
      assertEquals("187.25", data.getString("price"));
      assertEquals("10", data.getString("qty"));
      assertEquals("10", data.getString("position_qty"));
      assertEquals("AAPL", data.getJsonObject("order").getString("symbol"));
      assertEquals("filled", data.getJsonObject("order").getString("status"));
    }
  }

  @Test
  void theUpstreamListensWhileSomeoneListensAndStopsAfterTheLast() throws Exception {
    try (TradingServer server = new TradingServer()) {
      Await.until("the kept-warm upstream to be authorized", WAIT, server::upstreamLive);
      assertEquals(0L, server.simulator.listeners(), "no listen upstream without a listener");
      WsProbe first = listening(server, "trader", "trader-secret");
      WsProbe second = listening(server, "all", "all-secret");
      Await.until("the upstream to listen", WAIT, () -> server.simulator.listeners() == 1);
      assertEquals(1, server.simulator.sessions(), "one upstream connection for both clients");

      second.send("{\"action\":\"listen\",\"data\":{\"streams\":[]}}"); // Alpaca's way to stop
      assertEquals("{\"stream\":\"listening\",\"data\":{\"streams\":[]}}", awaitJson(second, "listening"));
      assertEquals(1, server.hub.listeners());
      first.close();
      Await.until("the upstream to stop listening", WAIT, () -> server.simulator.listeners() == 0);
      assertEquals(1, server.simulator.sessions(), "the connection itself stays warm");
      second.close();
    }
  }

  @Test
  void starIsMarketDataOnlyAndDoesNotGrantTheOrderFlow() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe market = WsProbe.connect(server.uri("stream"))) {
      authenticate(market, "market", "market-secret");
      assertTrue(awaitJson(market, "authorization").contains("\"unauthorized\""));
      market.awaitClose(WAIT);
    }
  }

  @Test
  void aCredentialWithoutTheEntitlementIsRefusedAndClosed() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe stocksOnly = WsProbe.connect(server.uri("stream"));
        WsProbe wrongSecret = WsProbe.connect(server.uri("stream"))) {
      authenticate(stocksOnly, "stocks", "stocks-secret");
      assertEquals("{\"stream\":\"authorization\",\"data\":{\"status\":\"unauthorized\",\"action\":\"authenticate\"}}",
          awaitJson(stocksOnly, "authorization"));
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(),
          stocksOnly.awaitClose(WAIT).getCloseCode().getCode());
      wrongSecret.send("{\"action\":\"auth\",\"key\":\"trader\",\"secret\":\"guess\"}");
      assertTrue(awaitJson(wrongSecret, "authorization").contains("\"unauthorized\""));
      wrongSecret.awaitClose(WAIT);
      Await.until("both refused clients to be gone", WAIT, () -> server.hub.clients() == 0);
    }
  }

  @Test
  void badInputGetsAnErrorAndHarmsNoOneElse() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe careless = WsProbe.connect(server.uri("stream"));
        WsProbe careful = listening(server, "all", "all-secret")) {
      careless.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
      assertEquals("{\"stream\":\"authorization\",\"data\":{\"status\":\"unauthorized\",\"action\":\"listen\"}}",
          awaitJson(careless, "authorization"), "listen before authenticate, as Alpaca answers it");
      careless.send("{not json");
      assertEquals("{\"action\":\"error\",\"data\":{\"error_message\":\"invalid syntax\"}}",
          awaitJson(careless, "error"));
      careless.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      assertTrue(awaitJson(careless, "error").contains("unrecognized action"));
      careless.send("x".repeat(5000));
      assertTrue(awaitJson(careless, "error").contains("message too long"));
      authenticate(careless, "trader", "trader-secret"); // still served after all that
      assertTrue(awaitJson(careless, "authorization").contains("\"authorized\""));

      Await.until("the upstream to listen", WAIT, () -> server.simulator.listeners() == 1);
      server.simulator.fill("MSFT", "3", "410.5");
      assertTrue(awaitJson(careful, "\"fill\"").contains("MSFT"));
      assertFalse(careless.received().stream().anyMatch(f -> f.contains("MSFT")),
          "an authorized client that does not listen gets no updates");
    }
  }

  @Test
  void aFlooderIsToldThenClosedAndTheListenerNextToItKeepsItsFills() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe flooder = WsProbe.connect(server.uri("stream"));
        WsProbe careful = listening(server, "all", "all-secret")) {
      // the test hub serves 20 messages/s with a burst of 40 and closes after 100 refusals in a row;
      // the first refusal is read before the flood goes on, because a client still writing when
      // the server drops the socket may lose what it had not read (ClientHubTest's flood test)
      for (int i = 0; i < 60; i++) {
        flooder.send("{\"action\":\"listen\",\"data\":{\"streams\":[]}}");
      }
      assertTrue(awaitJson(flooder, "too many requests").contains("error_message"));
      try {
        for (int i = 0; i < 400 && flooder.isOpen(); i++) {
          flooder.send("{\"action\":\"listen\",\"data\":{\"streams\":[]}}");
        }
      } catch (java.io.IOException | IllegalStateException closedWhileFlooding) {
        // expected once the hub has had enough
      }
      // 1008 from the hub; a client still writing may see the TCP reset first (1006, RFC 6455
      // §7.1.5), as ClientHubTest's flood test explains
      CloseReason.CloseCode seen = flooder.awaitClose(WAIT).getCloseCode();
      assertTrue(seen == CloseReason.CloseCodes.VIOLATED_POLICY
          || seen == CloseReason.CloseCodes.CLOSED_ABNORMALLY, "closed with " + seen);
      Await.until("the upstream to listen", WAIT, () -> server.simulator.listeners() == 1);
      server.simulator.fill("NVDA", "2", "140.25");
      assertTrue(awaitJson(careful, "\"fill\"").contains("NVDA"), "the neighbour is unaffected");
    }
  }

  @Test
  void aCredentialHoldsAtMostItsConnectionsAndGetsTheSlotBackOnClose() throws Exception {
    try (TradingServer server = new TradingServer()) {
      WsProbe first = WsProbe.connect(server.uri("stream"));
      authenticate(first, "solo", "solo-secret"); // solo may hold one connection
      assertTrue(awaitJson(first, "authorization").contains("\"authorized\""));
      try (WsProbe second = WsProbe.connect(server.uri("stream"))) {
        authenticate(second, "solo", "solo-secret");
        assertTrue(awaitJson(second, "error").contains("connection limit exceeded"));
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER.getCode(),
            second.awaitClose(WAIT).getCloseCode().getCode());
      }
      first.close();
      Await.until("the first connection gone", WAIT, () -> server.hub.clients() == 0);
      try (WsProbe third = WsProbe.connect(server.uri("stream"))) {
        authenticate(third, "solo", "solo-secret");
        assertTrue(awaitJson(third, "authorization").contains("\"authorized\""), "slot released");
      }
    }
  }

  /** L4: a second authentication must not move the socket to another credential uncounted. */
  @Test
  void aSecondAuthenticationIsRefusedAndEveryCountStaysRight() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe first = WsProbe.connect(server.uri("stream"))) {
      authenticate(first, "trader", "trader-secret");
      assertTrue(awaitJson(first, "authorization").contains("\"authorized\""));
      authenticate(first, "solo", "solo-secret");
      assertTrue(awaitJson(first, "error").contains("already authenticated"));
      assertTrue(first.isOpen(), "the socket keeps its first credential");
      try (WsProbe second = WsProbe.connect(server.uri("stream"));
          WsProbe third = WsProbe.connect(server.uri("stream"))) {
        authenticate(second, "solo", "solo-secret"); // solo's one connection is still free
        assertTrue(awaitJson(second, "authorization").contains("\"authorized\""));
        authenticate(third, "solo", "solo-secret");
        assertTrue(awaitJson(third, "error").contains("connection limit exceeded"));
      }
    }
  }

  /** M7: a listener that stops reading is cut off and let go, its slot and listening with it. */
  @Test
  void aListenerThatStopsReadingIsLetGoWithItsSlot() throws Exception {
    try (TradingServer server = new TradingServer()) {
      java.net.URI uri = server.uri("stream");
      try (io.tickrelay.testing.StalledReader stalled =
          new io.tickrelay.testing.StalledReader(uri.getPort(), uri.getPath(), "unused", "unused")) {
        stalled.sendText("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"trader\",\"secret_key\":\"trader-secret\"}}");
        stalled.sendText("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
        Await.until("the stalled client to listen", WAIT, () -> server.hub.listeners() == 1);
        Await.until("the upstream to listen", WAIT, () -> server.simulator.listeners() == 1);
        Await.until("the stalled client to be let go", Duration.ofSeconds(60), () -> {
          for (int i = 0; i < 20; i++) {
            server.simulator.fill("AAPL", "1", "187.25");
          }
          return server.hub.clients() == 0;
        });
        assertEquals(0, server.hub.listeners());
        Await.until("the upstream to stop listening", WAIT, () -> server.simulator.listeners() == 0);
      }
    }
  }

  /** A silent socket is timed out (the hub's auth timeout is 2 s) and gives its slot back. */
  @Test
  void aSilentSocketIsTimedOutAndItsSlotGivenBack() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe silent = WsProbe.connect(server.uri("stream"))) {
      assertTrue(awaitJson(silent, "auth timeout").contains("error"));
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(),
          silent.awaitClose(WAIT).getCloseCode().getCode());
      Await.until("the slot given back", WAIT, () -> server.hub.clients() == 0);
    }
  }

  @Test
  void clientsBeyondTheConnectionLimitAreTurnedAway() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe one = WsProbe.connect(server.uri("stream"));
        WsProbe two = WsProbe.connect(server.uri("stream"));
        WsProbe three = WsProbe.connect(server.uri("stream"));
        WsProbe four = WsProbe.connect(server.uri("stream"))) {
      assertEquals("{\"action\":\"error\",\"data\":{\"error_message\":\"connection limit exceeded\"}}",
          awaitJson(four, "error"));
      assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER.getCode(), four.awaitClose(WAIT).getCloseCode().getCode());
      authenticate(three, "trader", "trader-secret");
      assertTrue(awaitJson(three, "authorization").contains("\"authorized\""), "the ones held are served");
      assertEquals(3, server.hub.clients());
    }
  }

  @Test
  void theUpstreamReconnectsWithCredentialsReadAgain() throws Exception {
    try (TradingServer server = new TradingServer();
        WsProbe client = listening(server, "trader", "trader-secret")) {
      Await.until("the upstream to listen", WAIT, () -> server.simulator.listeners() == 1);
      server.account.set(new io.tickrelay.upstream.UpstreamSettings.Credentials("account-key", "rotated"));
      server.simulator.disconnectAll(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "restart"));
      Await.until("the rotated (here: wrong) secret to be tried and refused", WAIT,
          () -> server.simulator.refusals() >= 1);
      assertEquals(0L, server.simulator.listeners());
      server.account.set(new io.tickrelay.upstream.UpstreamSettings.Credentials(
          TradingServer.ACCOUNT_KEY, TradingServer.ACCOUNT_SECRET));
      Await.until("the upstream to listen again", WAIT, () -> server.simulator.listeners() == 1);
      server.simulator.fill("SPY", "1", "600");
      assertTrue(awaitJson(client, "\"fill\"").contains("SPY"));
    }
  }

  @Test
  void theSimulatorEmitsOrderLifecyclesAtItsRate() throws Exception {
    try (TradingServer server = new TradingServer(Duration.ofMillis(20));
        WsProbe client = listening(server, "trader", "trader-secret")) {
      assertTrue(awaitJson(client, "\"new\"").contains("\"status\":\"new\""));
      assertTrue(awaitJson(client, "\"partial_fill\"").contains("\"status\":\"partially_filled\""));
      String last = awaitJson(client, "\"event\":\"", WAIT);
      assertTrue(last.contains("\"fill\"") || last.contains("\"canceled\""), last);
    }
  }

  private static WsProbe listening(TradingServer server, String key, String secret) throws Exception {
    WsProbe client = WsProbe.connect(server.uri("stream"));
    authenticate(client, key, secret);
    awaitJson(client, "authorized");
    client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
    awaitJson(client, "listening");
    return client;
  }

  private static void authenticate(WsProbe client, String key, String secret) throws Exception {
    client.send("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"" + key + "\",\"secret_key\":\""
        + secret + "\"}}");
  }

  /** The gateway sends JSON in binary frames, as Alpaca's paper endpoint does. */
  static String awaitJson(WsProbe client, String fragment) throws InterruptedException {
    return awaitJson(client, fragment, WAIT);
  }

  static String awaitJson(WsProbe client, String fragment, Duration timeout) throws InterruptedException {
    return new String(client.awaitBinary(
        b -> new String(b, StandardCharsets.UTF_8).contains(fragment), timeout), StandardCharsets.UTF_8);
  }

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }
}
