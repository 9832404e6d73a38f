package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Binance simulator over real sockets: what a client of Binance can observe (§2.2, §2.3). */
class BinanceSimulatorTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private FakeBinance fake;

  private FakeBinance start(BinanceSimulatorSettings settings) throws Exception {
    fake = FakeBinance.start(settings);
    return fake;
  }

  private static BinanceSimulatorSettings settings() {
    return BinanceSimulatorSettings.realistic(Set.of("BTCUSDT", "ETHBTC"), 50)
        .withBars(Duration.ofMillis(500), Duration.ofMillis(200));
  }

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void urlStreamsArriveCombinedWithIncreasingTradeIds() throws Exception {
    start(settings());
    try (WsProbe probe = WsProbe.connect(fake.streamUrl("streams=btcusdt@trade/btcusdt@bookTicker"))) {
      probe.awaitText("\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":", WAIT);
      Await.until("20 trades", WAIT, () -> ids(probe.received()).size() >= 20);
      List<Long> ids = ids(probe.received());
      for (int i = 1; i < ids.size(); i++) {
        assertEquals(ids.get(i - 1) + 1, ids.get(i), "trade ids strictly increasing, no gap");
      }
      assertTrue(probe.received().stream().noneMatch(f -> f.contains("ethbtc")), "only what was asked");
    }
  }

  @Test
  void liveSubscribeEchoesIdsListsAndUnsubscribes() throws Exception {
    start(settings());
    try (WsProbe probe = WsProbe.connect(fake.streamUrl(null))) {
      probe.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"ethbtc@trade\",\"btcusdt@kline_1m\"],\"id\":1}");
      assertEquals("{\"result\":null,\"id\":1}", probe.awaitText("\"id\":1", WAIT));
      probe.awaitText("\"stream\":\"ethbtc@trade\"", WAIT);
      probe.awaitText("\"x\":true", WAIT); // a closed kline
      probe.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\"abc\"}");
      assertEquals("{\"result\":[\"ethbtc@trade\",\"btcusdt@kline_1m\"],\"id\":\"abc\"}",
          probe.awaitText("\"id\":\"abc\"", WAIT));
      probe.send("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"ethbtc@trade\"],\"id\":312}");
      probe.awaitText("\"id\":312", WAIT);
      probe.send("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":2}");
      assertEquals("{\"result\":true,\"id\":2}", probe.awaitText("\"id\":2", WAIT));
      assertEquals(List.of(Set.of("btcusdt@kline_1m")), fake.simulator().sessionStreams());
    }
  }

  @Test
  void badRequestsGetBinanceErrorsAndTheSessionStaysUsable() throws Exception {
    start(settings());
    try (WsProbe probe = WsProbe.connect(fake.streamUrl(null))) {
      probe.send("{nope");
      assertEquals("{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 1\"},\"id\":null}",
          probe.awaitText("\"code\":3", WAIT));
      probe.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"BTCUSDT@trade\"],\"id\":7}");
      assertEquals("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":7}",
          probe.awaitText("\"id\":7", WAIT));
      probe.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"]}");
      assertTrue(probe.awaitText("request ID must be", WAIT).contains("\"id\":null"));
      // the next message would be the fifth in a second: wait for the window to pass
      Await.until("a quiet second", WAIT, quietSecond());
      probe.send("{\"method\":\"PING\",\"id\":8}");
      assertTrue(probe.awaitText("\"id\":8", WAIT).contains("unknown variant PING"));
      probe.send("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":9}");
      assertTrue(probe.awaitText("\"id\":9", WAIT).contains("\"code\":1"));
      assertTrue(probe.isOpen());
    }
  }

  @Test
  void moreThanTheStreamCapIsRefusedWhole() throws Exception {
    start(settings());
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < 1025; i++) {
      params.append(i == 0 ? "" : ",").append("\"sym").append(i).append("usdt@trade\"");
    }
    try (WsProbe probe = WsProbe.connect(fake.streamUrl(null))) {
      probe.send("{\"method\":\"SUBSCRIBE\",\"params\":[" + params + "],\"id\":1}");
      assertTrue(probe.awaitText("\"id\":1", WAIT).contains("at most 1024"));
      assertEquals(List.of(Set.of()), fake.simulator().sessionStreams());
    }
  }

  @Test
  void aSixthMessageInOneSecondDisconnectsAsBinanceDoes() throws Exception {
    start(settings());
    try (WsProbe probe = WsProbe.connect(fake.streamUrl(null))) {
      for (int i = 0; i < 6; i++) {
        probe.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}");
      }
      CloseReason reason = probe.awaitClose(WAIT);
      assertEquals(1008, reason.getCloseCode().getCode());
      assertEquals("Too many requests", reason.getReasonPhrase());
      assertEquals(1, fake.simulator().rateDisconnects());
    }
  }

  @Test
  void malformedUrlStreamIsClosedWithBinancesBody() throws Exception {
    start(settings());
    try (WsProbe probe = WsProbe.connect(fake.streamUrl("streams=btcusdt@trade/btcusdt@bogus"))) {
      CloseReason reason = probe.awaitClose(WAIT);
      assertEquals(1008, reason.getCloseCode().getCode());
      assertEquals("{\"code\":-1,\"msg\":\"Illegal format ws or stream\"}", reason.getReasonPhrase());
    }
  }

  @Test
  void pingsAreEchoedByTheClientAndOldConnectionsAreClosed() throws Exception {
    start(settings().withPing(Duration.ofMillis(300), Duration.ofSeconds(1))
        .withMaxConnectionAge(Duration.ofSeconds(2)));
    try (WsProbe probe = WsProbe.connect(fake.streamUrl("streams=btcusdt@trade"))) {
      Await.until("three pongs echoing their pings", WAIT, () -> fake.simulator().pongsMatched() >= 3);
      assertEquals(0, fake.simulator().pongsUnmatched(), "every pong carried its ping's payload");
      CloseReason reason = probe.awaitClose(WAIT);
      assertEquals(1001, reason.getCloseCode().getCode());
      assertEquals(1, fake.simulator().ageCloses());
      assertEquals(0, fake.simulator().pongTimeouts());
      assertEquals(0, fake.simulator().rateDisconnects(), "pongs every 300 ms stay under 5/s");
    }
  }

  @Test
  void aClientThatNeverPongsIsDisconnected() throws Exception {
    start(settings().withPing(Duration.ofMillis(200), Duration.ofMillis(700)));
    URI uri = fake.streamUrl("streams=btcusdt@trade");
    // a bare socket: WebSocket libraries answer pings by themselves, this one never does
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      String status = readHead(in);
      assertTrue(status.startsWith("HTTP/1.1 101"), status);
      int pings = 0;
      while (true) { // read frames until the close frame
        int opcode = in.readUnsignedByte() & 0x0f;
        long length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = in.readNBytes((int) length);
        if (opcode == 0x9) {
          pings++;
        } else if (opcode == 0x8) {
          assertEquals(1008, ((payload[0] & 0xff) << 8) | (payload[1] & 0xff));
          break;
        }
      }
      assertTrue(pings >= 2, "pinged before giving up: " + pings);
      assertEquals(1, fake.simulator().pongTimeouts());
    }
  }

  private static String readHead(DataInputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    return head.toString();
  }

  private static java.util.function.BooleanSupplier quietSecond() {
    long until = System.nanoTime() + 1_100_000_000L;
    return () -> System.nanoTime() > until;
  }

  private static final Pattern TRADE_ID = Pattern.compile("\"e\":\"trade\".*?\"t\":(\\d+)");

  static List<Long> ids(List<String> frames) {
    return frames.stream().map(TRADE_ID::matcher).filter(Matcher::find)
        .map(m -> Long.parseLong(m.group(1))).toList();
  }
}
