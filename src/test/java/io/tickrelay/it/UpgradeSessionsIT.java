package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RawWebSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, memory under churn, the cheap half (the 100,000-cycle figures are the bench's {@code
 * churn} phase, docs/BENCHMARKS.md): a WebSocket upgrade must leave nothing behind on the server.
 * Open Liberty's WebSocket handshake asks for an HTTP session ({@code HttpServletRequest.getSession()}
 * in its HandshakeProcessor) and keeps it for the session timeout, 30 minutes, after the socket
 * closed; a session the server creates shows in the upgrade response as a {@code Set-Cookie}. So
 * every cycle here (connect, authenticate, subscribe, close, on every client endpoint) must come
 * back without one, and the gateway's client count must return to where it was.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UpgradeSessionsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final int CYCLES = 1000;
  private static final String AUTH =
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

  @Test
  void upgradesCreateNoHttpSessionsAndChurnLeavesNoClientsBehind() throws Exception {
    int connectedBefore = connectedClients();
    Map<String, Integer> cookies = new TreeMap<>();
    int subscribed = 0;
    for (int i = 0; i < CYCLES; i++) {
      try (RawWebSocket ws = open("/v2/sip")) {
        count(cookies, ws);
        awaitText(ws, "connected");
        ws.sendText(AUTH);
        awaitText(ws, "authenticated");
        ws.sendText("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"SYM" + (i % 50) + "\"]}");
        awaitText(ws, "\"T\":\"subscription\"");
        subscribed++;
      }
    }
    // every other client endpoint once: the session comes from the container, not one endpoint
    for (String path : List.of("/v2/iex", "/v1beta3/crypto/us", "/x/v1/channels", "/stream")) {
      try (RawWebSocket ws = open(path)) {
        count(cookies, ws);
      }
    }
    System.out.println("UpgradeSessionsIT: " + subscribed + " cycles; cookies set by upgrades: " + cookies);
    assertEquals(CYCLES, subscribed);
    assertEquals(Map.of(), cookies, "cookies set by WebSocket upgrades (HTTP sessions created)");
    Await.until("the gateway to count only the clients it had before the churn", WAIT,
        () -> connectedClients() == connectedBefore);
  }

  private static RawWebSocket open(String path) throws Exception {
    return RawWebSocket.open(URI.create("ws://localhost:" + PORT + path), Map.of(), WAIT);
  }

  private static void count(Map<String, Integer> cookies, RawWebSocket ws) {
    ws.cookieNames().forEach(name -> cookies.merge(name, 1, Integer::sum));
  }

  private static void awaitText(RawWebSocket ws, String fragment) throws InterruptedException {
    assertNotNull(ws.await(f -> f.text().contains(fragment), WAIT), "a frame with " + fragment);
  }

  private static int connectedClients() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/ws/status")).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonObject status = Json.createReader(new StringReader(r.body())).readObject();
      return status.getJsonObject("clients").getInt("connected");
    } catch (Exception e) {
      throw new AssertionError("status unreadable: " + e, e);
    }
  }
}
