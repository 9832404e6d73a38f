package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real WAR on a real Open Liberty, black box: its upstream is the fake Alpaca this test runs
 * on the port the build reserved; clients connect over real sockets.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GatewayIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final URI SERVER = URI.create("http://localhost:" + PORT + "/");
  private static final String CLIENT_AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";

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

  @Test
  void readyOnceTheUpstreamIsAuthenticated() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(SERVER.resolve("/health/ready")).build();
    String[] body = new String[1];
    Await.until("/health/ready UP", WAIT, () -> {
      try {
        HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
        body[0] = response.body();
        return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
      } catch (Exception e) {
        return false;
      }
    });
    assertTrue(body[0].contains("CONNECTED"), body[0]);
    assertTrue(!body[0].contains("fake-secret"), "no secret in health output");
    HttpResponse<String> live = http.send(
        HttpRequest.newBuilder(SERVER.resolve("/health/live")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode());
  }

  @Test
  void clientReceivesTradesAndTheUpstreamHoldsExactlyTheUnionOfDemand() throws Exception {
    try (WsProbe a = WsProbe.connect(ws("/v2/iex"));
        WsProbe b = WsProbe.connect(ws("/v2/sip"))) {
      a.awaitText("connected", WAIT);
      a.send(CLIENT_AUTH);
      a.awaitText("authenticated", WAIT);
      a.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\",\"MSFT\"]}");
      assertTrue(a.awaitText("subscription", WAIT).contains("\"trades\":[\"AAPL\",\"MSFT\"]"));
      b.send(CLIENT_AUTH);
      b.awaitText("authenticated", WAIT);
      b.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"NVDA\"]}");
      b.awaitText("subscription", WAIT);

      String trade = a.awaitText("\"T\":\"t\"", WAIT);
      assertTrue(trade.startsWith("[{\"T\":\"t\",\"S\":\""), trade);
      assertTrue(b.awaitText("\"T\":\"q\"", WAIT).contains("NVDA"));
      Interest union = Interest.of(Channel.TRADES, "AAPL", "MSFT").plus(Interest.of(Channel.QUOTES, "NVDA"));
      Await.until("the upstream to hold the union", WAIT,
          () -> upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(union));

      a.close();
      Interest afterA = Interest.of(Channel.TRADES, "AAPL").plus(Interest.of(Channel.QUOTES, "NVDA"));
      Await.until("MSFT to leave the upstream with its last client", WAIT,
          () -> upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(afterA));
    }
    Await.until("nothing subscribed upstream once every client left", WAIT,
        () -> upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).isEmpty());
    assertEquals(1, upstream.simulator().peakConnections(FakeAlpaca.KEY));
  }

  @Test
  void badInputGetsAlpacaErrorsAndNeverDisturbsAnotherClient() throws Exception {
    try (WsProbe good = WsProbe.connect(ws("/v2/iex"));
        WsProbe bad = WsProbe.connect(ws("/v2/iex"))) {
      good.send(CLIENT_AUTH);
      good.awaitText("authenticated", WAIT);
      good.send("{\"action\":\"subscribe\",\"quotes\":[\"AMD\"]}");
      good.awaitText("subscription", WAIT);
      good.awaitText("\"S\":\"AMD\"", WAIT);

      bad.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":401,\"msg\":\"not authenticated\""));
      bad.send("{\"action\":");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":400,\"msg\":\"invalid syntax\""));
      bad.send("[1,2,3]");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":400"));
      bad.send(new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":400"));
      bad.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"wrong\"}");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":402,\"msg\":\"auth failed\""));
      bad.send(CLIENT_AUTH);
      bad.awaitText("authenticated", WAIT);
      bad.send(CLIENT_AUTH);
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":403,\"msg\":\"already authenticated\""));
      bad.send("{\"action\":\"subscribe\",\"trades\":[\"not a symbol\"]}");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":400"));
      bad.send("{\"action\":\"subscribe\",\"trades\":\"AAPL\"}");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":400"));
      bad.send("{\"action\":\"subscribe\",\"orderbooks\":[\"AAPL\"]}");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":410"));
      bad.send("{\"action\":\"dance\"}");
      assertTrue(bad.awaitText("error", WAIT).contains("\"code\":400"));
      assertTrue(bad.isOpen(), "bad input is answered, not punished with a disconnect");

      good.clear();
      good.awaitText("\"S\":\"AMD\"", WAIT);
    }
    HttpResponse<String> ready = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(SERVER.resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), "the upstream is unaffected: " + ready.body());
  }

  @Test
  void headerAuthWorksAndSilenceIsAnAuthTimeout() throws Exception {
    Map<String, String> headers =
        Map.of("APCA-API-KEY-ID", "it-client", "APCA-API-SECRET-KEY", "it-client-secret");
    try (WsProbe byHeader = WsProbe.connect(ws("/v2/iex"), headers);
        WsProbe silent = WsProbe.connect(ws("/v2/iex"))) {
      byHeader.awaitText("authenticated", WAIT);
      assertTrue(silent.awaitText("error", WAIT).contains("\"code\":404,\"msg\":\"auth timeout\""));
      CloseReason reason = silent.awaitClose(WAIT);
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), reason.getCloseCode().getCode());
    }
  }

  @Test
  void entitlementsAndTheAbsentDemoCredential() throws Exception {
    try (WsProbe iexOnly = WsProbe.connect(ws("/v2/sip"));
        WsProbe demo = WsProbe.connect(ws("/v2/iex"))) {
      iexOnly.send("{\"action\":\"auth\",\"key\":\"iex-only\",\"secret\":\"iex-secret\"}");
      assertTrue(iexOnly.awaitText("error", WAIT).contains("\"code\":409,\"msg\":\"insufficient subscription\""));
      iexOnly.awaitClose(WAIT);
      // demo:demo exists only in simulator mode; this server has a real upstream account
      demo.send("{\"action\":\"auth\",\"key\":\"demo\",\"secret\":\"demo\"}");
      assertTrue(demo.awaitText("error", WAIT).contains("\"code\":402"));
    }
  }

  @Test
  void theEmbeddedSimulatorSpeaksAlpaca() throws Exception {
    Map<String, String> headers =
        Map.of("APCA-API-KEY-ID", "simulator", "APCA-API-SECRET-KEY", "simulator");
    try (WsProbe sim = WsProbe.connect(ws("/simulator/v2/test"), headers)) {
      sim.awaitText("authenticated", WAIT);
      sim.send("{\"action\":\"subscribe\",\"quotes\":[\"FAKEPACA\"]}");
      sim.awaitText("subscription", WAIT);
      assertTrue(sim.awaitText("\"T\":\"q\"", WAIT).contains("\"S\":\"FAKEPACA\""));
    }
  }
}
