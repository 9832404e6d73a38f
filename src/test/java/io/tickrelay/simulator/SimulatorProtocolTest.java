package io.tickrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/** The simulator over a real socket, as any Alpaca client sees it (upstream-protocols.md §1.10). */
class SimulatorProtocolTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + FakeAlpaca.KEY + "\",\"secret\":\"" + FakeAlpaca.SECRET + "\"}";

  private FakeAlpaca fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeAlpaca.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private URI feed(String feed) {
    return URI.create(fake.baseUrl() + "/v2/" + feed);
  }

  @Test
  void connectedThenAuthenticatedThenFullSubscriptionStateThenTrades() throws Exception {
    try (WsProbe client = WsProbe.connect(feed("iex"))) {
      assertEquals("[{\"T\":\"success\",\"msg\":\"connected\"}]", client.awaitText("success", WAIT));
      client.send(AUTH);
      assertEquals("[{\"T\":\"success\",\"msg\":\"authenticated\"}]", client.awaitText("success", WAIT));
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"MSFT\"]}");
      assertEquals(
          "[{\"T\":\"subscription\",\"trades\":[\"AAPL\"],\"quotes\":[\"MSFT\"],\"bars\":[],"
              + "\"updatedBars\":[],\"dailyBars\":[],\"statuses\":[],\"lulds\":[],"
              + "\"corrections\":[\"AAPL\"],\"cancelErrors\":[\"AAPL\"]}]",
          client.awaitText("subscription", WAIT));
      String trade = client.awaitText("\"T\":\"t\"", WAIT);
      assertTrue(trade.contains("\"S\":\"AAPL\""), trade);
      assertFalse(trade.contains("\"S\":\"MSFT\",\"i\""), "MSFT trades were not asked for: " + trade);
      assertTrue(client.awaitText("\"T\":\"q\"", WAIT).contains("\"S\":\"MSFT\""));
      client.send("{\"action\":\"unsubscribe\",\"trades\":[\"AAPL\"]}");
      assertTrue(client.awaitText("subscription", WAIT).contains("\"trades\":[],"));
    }
  }

  @Test
  void headerAuthSendsConnectedAndAuthenticatedUnasked() throws Exception {
    Map<String, String> headers =
        Map.of("APCA-API-KEY-ID", FakeAlpaca.KEY, "APCA-API-SECRET-KEY", FakeAlpaca.SECRET);
    try (WsProbe client = WsProbe.connect(feed("sip"), headers)) {
      client.awaitText("connected", WAIT);
      client.awaitText("authenticated", WAIT);
    }
  }

  @Test
  void wrongSecretIs402AndSecondAuthIs403() throws Exception {
    try (WsProbe client = WsProbe.connect(feed("iex"))) {
      client.send("{\"action\":\"auth\",\"key\":\"" + FakeAlpaca.KEY + "\",\"secret\":\"nope\"}");
      assertEquals(
          "[{\"T\":\"error\",\"code\":402,\"msg\":\"auth failed\"}]", client.awaitText("error", WAIT));
      client.send(AUTH);
      client.awaitText("authenticated", WAIT);
      client.send(AUTH);
      assertTrue(client.awaitText("error", WAIT).contains("\"code\":403"));
    }
  }

  @Test
  void subscribeBeforeAuthIs401AndGarbageIs400() throws Exception {
    try (WsProbe client = WsProbe.connect(feed("iex"))) {
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      assertTrue(client.awaitText("error", WAIT).contains("\"code\":401"));
      client.send("{not json");
      assertTrue(client.awaitText("error", WAIT).contains("\"code\":400"));
      assertTrue(client.isOpen());
    }
  }

  @Test
  void secondConnectionOfTheSameKeyOnTheSameFeedIs406() throws Exception {
    try (WsProbe first = WsProbe.connect(feed("iex"));
        WsProbe second = WsProbe.connect(feed("iex"))) {
      first.send(AUTH);
      first.awaitText("authenticated", WAIT);
      second.send(AUTH);
      assertEquals(
          "[{\"T\":\"error\",\"code\":406,\"msg\":\"connection limit exceeded\"}]",
          second.awaitText("error", WAIT));
      assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY));
    }
  }

  @Test
  void authTimeoutIs404ThenClose() throws Exception {
    fake.close();
    SimulatorSettings base = FakeAlpaca.settings(Set.of("*"));
    fake =
        FakeAlpaca.start(
            new SimulatorSettings(base.account(), base.feeds(), 1, Duration.ofMillis(300),
                base.tradesPerSecond(), base.barInterval()),
            -1);
    try (WsProbe client = WsProbe.connect(feed("iex"))) {
      assertTrue(client.awaitText("error", WAIT).contains("\"code\":404,\"msg\":\"auth timeout\""));
      CloseReason reason = client.awaitClose(WAIT);
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), reason.getCloseCode().getCode());
    }
  }

  @Test
  void feedOutsideThePlanIs409() throws Exception {
    fake.close();
    fake = FakeAlpaca.start(FakeAlpaca.settings(Set.of("iex")), -1);
    try (WsProbe client = WsProbe.connect(feed("sip"))) {
      client.send(AUTH);
      assertTrue(client.awaitText("error", WAIT).contains("\"code\":409"));
      client.awaitClose(WAIT);
    }
  }

  @Test
  void testFeedServesFakepacaOnly() throws Exception {
    try (WsProbe client = WsProbe.connect(feed("test"))) {
      client.send(AUTH);
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"quotes\":[\"FAKEPACA\",\"AAPL\"]}");
      client.awaitText("subscription", WAIT);
      for (int i = 0; i < 5; i++) {
        String quote = client.awaitText("\"T\":\"q\"", WAIT);
        assertTrue(quote.contains("FAKEPACA") && !quote.contains("AAPL"), quote);
      }
    }
  }

  @Test
  void msgpackSessionsGetBinaryFramesWithTFirstAndTimestampExtension() throws Exception {
    try (WsProbe client =
        WsProbe.connect(feed("iex"), Map.of("Content-Type", "application/msgpack"))) {
      client.awaitBinary(b -> true, WAIT); // connected
      // the official SDKs send their own messages in msgpack too
      var packer = MessagePack.newDefaultBufferPacker();
      packer.packMapHeader(3).packString("action").packString("auth")
          .packString("key").packString(FakeAlpaca.KEY)
          .packString("secret").packString(FakeAlpaca.SECRET);
      client.send(packer.toByteArray());
      client.awaitBinary(b -> new String(b).contains("authenticated"), WAIT);
      var subscribe = MessagePack.newDefaultBufferPacker();
      subscribe.packMapHeader(2).packString("action").packString("subscribe")
          .packString("trades").packArrayHeader(1).packString("AAPL");
      client.send(subscribe.toByteArray());
      byte[] trades = client.awaitBinary(b -> new String(b).contains("AAPL") && !new String(b).contains("subscription"), WAIT);
      try (MessageUnpacker in = MessagePack.newDefaultUnpacker(trades)) {
        int n = in.unpackArrayHeader();
        assertTrue(n >= 1);
        int fields = in.unpackMapHeader();
        assertEquals("T", in.unpackString(), "T must be the first key");
        assertEquals("t", in.unpackString());
        boolean sawTimestamp = false;
        for (int i = 1; i < fields; i++) {
          String key = in.unpackString();
          if (key.equals("t")) {
            assertEquals(ValueType.EXTENSION, in.getNextFormat().getValueType());
            var header = in.unpackExtensionTypeHeader();
            assertEquals(-1, header.getType());
            Instant at = in.unpackTimestamp(header);
            assertTrue(Math.abs(Duration.between(at, Instant.now()).toSeconds()) < 60, at.toString());
            sawTimestamp = true;
          } else {
            assertTrue(in.getNextFormat() != MessageFormat.NEVER_USED);
            in.skipValue();
          }
        }
        assertTrue(sawTimestamp);
      }
    }
  }
}
