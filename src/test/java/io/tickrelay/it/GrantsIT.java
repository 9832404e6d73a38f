package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Entitlements mean what they say, black box on the real WAR (docs/PROTOCOL.md "Credentials and
 * grants"): a feed the gateway has no upstream for is 409 and never real-time SIP data, {@code *}
 * grants market data only (not the order flow, not published channels), subscribing {@code *} is
 * its own grant, a crypto location without an upstream is an unknown feed, and made-up Binance
 * symbols are refused without opening upstream connections. Credentials: {@code it-market} ({@code
 * *}) and {@code it-delayed} ({@code delayed_sip}), appended to the ITs' gateway configuration.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GrantsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String MARKET_AUTH =
      "{\"action\":\"auth\",\"key\":\"it-market\",\"secret\":\"Market-Only-Secret-6061\"}";
  private static final String IT_AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LISTED = Pattern.compile("tickrelay_binance_listed_symbols(\\{[^}]*\\})? [1-9]");

  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  private static URI ws(String path) {
    return URI.create("ws://localhost:" + PORT + path);
  }

  private static WsProbe connected(String path) throws Exception {
    WsProbe client = WsProbe.connect(ws(path));
    client.awaitText("connected", WAIT);
    return client;
  }

  @Test
  void aDelayedSipCredentialIsRefusedWith409AndGetsNoData() throws Exception {
    try (WsProbe client = connected("/v2/delayed_sip")) {
      client.sendExpectingClose("{\"action\":\"auth\",\"key\":\"it-delayed\",\"secret\":\"Delayed-Only-Secret-5150\"}");
      String answer = client.awaitText("\"T\":\"error\"", WAIT);
      assertEquals("[{\"T\":\"error\",\"code\":409,\"msg\":\"insufficient subscription\"}]", answer);
      client.awaitClose(WAIT);
      assertTrue(client.received().stream().noneMatch(f -> f.contains("authenticated")),
          "no authentication before the refusal: " + client.received());
    }
  }

  @Test
  void theTestFeedIsRefusedEvenToAStarCredential() throws Exception {
    // Alpaca's test stream serves FAKEPACA only; the gateway has no such upstream and never serves
    // its real-time SIP stream under that name (upstream-protocols.md §1.9)
    try (WsProbe client = connected("/v2/test")) {
      client.sendExpectingClose(IT_AUTH); // answered by 409 and a close, which can race the send
      assertEquals("[{\"T\":\"error\",\"code\":409,\"msg\":\"insufficient subscription\"}]",
          client.awaitText("\"T\":\"error\"", WAIT));
    }
  }

  @Test
  void starDoesNotGrantTheOrderFlow() throws Exception {
    try (WsProbe client = WsProbe.connect(ws("/stream"))) {
      client.sendExpectingClose("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"it-market\",\"secret_key\":\"Market-Only-Secret-6061\"}}");
      // Alpaca's trading stream answers in binary frames (TradeUpdatesIT)
      String answer = new String(client.awaitBinary(
          b -> new String(b, StandardCharsets.UTF_8).contains("\"authorization\""), WAIT),
          StandardCharsets.UTF_8);
      assertTrue(answer.contains("\"status\":\"unauthorized\""), answer);
    }
  }

  @Test
  void starDoesNotGrantPublishedChannels() throws Exception {
    try (WsProbe client = connected("/x/v1/channels")) {
      client.sendExpectingClose(MARKET_AUTH);
      assertEquals("[{\"T\":\"error\",\"code\":409,\"msg\":\"insufficient subscription\"}]",
          client.awaitText("\"T\":\"error\"", WAIT));
    }
  }

  @Test
  void subscribingTheWildcardNeedsItsOwnGrant() throws Exception {
    try (WsProbe client = connected("/v2/sip")) {
      client.send(MARKET_AUTH);
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"quotes\":[\"*\"]}");
      assertEquals("[{\"T\":\"error\",\"code\":405,\"msg\":\"symbol limit exceeded\"}]",
          client.awaitText("\"T\":\"error\"", WAIT));
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      String ack = client.awaitText("\"T\":\"subscription\"", WAIT);
      assertTrue(ack.contains("\"trades\":[\"AAPL\"]") && ack.contains("\"quotes\":[]"),
          "the refused wildcard left nothing behind: " + ack);
    }
    try (WsProbe granted = connected("/v2/sip")) {
      granted.send(IT_AUTH);
      granted.awaitText("authenticated", WAIT);
      granted.send("{\"action\":\"subscribe\",\"bars\":[\"*\"]}");
      assertTrue(granted.awaitText("\"T\":\"subscription\"", WAIT).contains("\"bars\":[\"*\"]"));
    }
  }

  @Test
  void aCryptoLocationWithoutUpstreamIsAnUnknownFeed() throws Exception {
    // the ITs configure Alpaca crypto for "us" only: eu-1 would be acknowledged and stay silent
    try (WsProbe client = WsProbe.connect(ws("/v1beta3/crypto/eu-1"))) {
      CloseReason closed = client.awaitClose(WAIT);
      assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), closed.getCloseCode().getCode());
      assertEquals("unknown feed", closed.getReasonPhrase());
    }
  }

  @Test
  void madeUpBinanceSymbolsAreRefusedAndOpenNoUpstreamConnection() throws Exception {
    // the gateway fetches the simulator's exchangeInfo after start; symbols are checked from then on
    Await.until("the gateway to hold Binance's symbol list", WAIT, () -> LISTED.matcher(metrics()).find());
    int before = binanceConnections();
    try (WsProbe client = connected("/v1beta3/crypto/binance")) {
      client.send(IT_AUTH);
      client.awaitText("authenticated", WAIT);
      StringJoiner symbols = new StringJoiner(",");
      for (int i = 0; i < 50; i++) {
        symbols.add("\"Z" + (1000 + i) + "Q/USDT\"");
      }
      client.send("{\"action\":\"subscribe\",\"trades\":[" + symbols + "]}");
      assertEquals("[{\"T\":\"error\",\"code\":400,\"msg\":\"invalid syntax\"}]",
          client.awaitText("\"T\":\"error\"", WAIT));
      client.send("{\"action\":\"subscribe\",\"trades\":[\"*\"]}");
      assertEquals("[{\"T\":\"error\",\"code\":405,\"msg\":\"symbol limit exceeded\"}]",
          client.awaitText("\"code\":405", WAIT));
      assertFalse(client.received().stream().anyMatch(f -> f.contains("\"T\":\"subscription\"")),
          "no acknowledgement of a refused subscription: " + client.received());
      assertTrue(binanceConnections() <= before, "no Binance connection was opened for them");
    }
  }

  private static String metrics() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Binance upstream connections the status lists ({@code binance-spot}, {@code binance-spot#2}...), in any state. */
  private static int binanceConnections() throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/ws/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      int count = 0;
      for (JsonValue upstream : reader.readObject().getJsonArray("upstreams")) {
        JsonObject view = upstream.asJsonObject();
        if (view.getString("stream", "").equals("crypto/binance")) {
          count++;
        }
      }
      return count;
    }
  }
}
