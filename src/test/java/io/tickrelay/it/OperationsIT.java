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
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator sees, on a plan that lacks SIP: the fake upstream's account may use IEX only,
 * so Alpaca's {@code 409 insufficient subscription} on SIP must land the gateway on IEX and the
 * status API, health and metrics must say so, without a secret anywhere in responses or logs.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  /** Every secret the gateway under test knows (arquillian.xml) and one a client tries. */
  private static final List<String> SECRETS =
      List.of(FakeAlpaca.SECRET, "it-client-secret", "iex-secret", "Wr0ng-Guess-7731", "Half-Sent-5521",
          "Sig-Client-Secret-3311", "Exec-Client-Secret-6620", "Pub-Secret-4417", "Rate-Secret-9023", "Pub-Guess-8812");

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstreamWithoutSip() throws Exception {
    upstream = ItGateway.upstream(Set.of("iex", "test"));
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    upstream.close();
  }

  private static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject json(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  /** The stock stream's connection among the upstreams (the trading stream has its own). */
  private static JsonObject stocks(JsonObject status) {
    return status.getJsonArray("upstreams").getValuesAs(JsonObject.class).stream()
        .filter(u -> "stocks".equals(u.getString("stream"))).findFirst()
        .orElseThrow(() -> new AssertionError("no stock upstream in " + status));
  }

  /** The one stock connection as the status API shows it, once it is live on IEX. */
  private static JsonObject liveOnIex() throws Exception {
    AtomicReference<JsonObject> seen = new AtomicReference<>();
    Await.until("status to show the stock connection live on iex", WAIT, () -> {
      HttpResponse<String> response = get("/api/v1/ws/status");
      JsonObject status = json(response.body());
      JsonObject stocks = stocks(status);
      seen.set(status);
      return response.statusCode() == 200
          && "CONNECTED".equals(stocks.getString("state"))
          && "iex".equals(stocks.getString("feed"))
          && !stocks.getString("feedReason").startsWith("re-probing");
    });
    return seen.get();
  }

  @Test
  @Order(1)
  void statusShowsIexInUseAndWhyOnAPlanWithoutSip() throws Exception {
    JsonObject status = liveOnIex();
    assertEquals("alpaca", status.getString("mode"));
    JsonObject stocks = stocks(status);
    assertEquals("alpaca", stocks.getString("provider"));
    assertEquals(List.of("sip", "iex"), stocks.getJsonArray("feeds").getValuesAs(
        jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
    assertTrue(stocks.getBoolean("fallback"), stocks.toString());
    assertTrue(stocks.getString("feedReason").contains("409"), stocks.getString("feedReason"));
    assertTrue(stocks.getString("tier").contains("plan lacks SIP"), stocks.getString("tier"));
    assertTrue(stocks.getBoolean("healthy"));
    assertEquals("ws://localhost:" + Integer.getInteger("tickrelay.it.upstream.port") + "/fake/it/v2/iex",
        stocks.getString("url"));
    assertTrue(stocks.getJsonNumber("bytesIn").longValue() > 0, "the handshake replies are counted");
    JsonObject lastError = stocks.getJsonObject("lastError");
    assertEquals(409, lastError.getInt("code"), lastError.toString());
    assertFalse(lastError.getString("remedy").isBlank(), "the remedy is spelled out");
    JsonObject limits = status.getJsonObject("connectionLimits");
    // every live connection counts (the trading stream's too), each on its own endpoint's limit
    long live = status.getJsonArray("upstreams").getValuesAs(JsonObject.class).stream()
        .filter(u -> "CONNECTED".equals(u.getString("state"))).count();
    assertEquals(live, limits.getInt("upstreamActive"), limits.toString());
    assertFalse(limits.getBoolean("upstreamLimitReached"), limits.toString());
    assertTrue(status.getJsonObject("clients").containsKey("slowClientDisconnects"));
  }

  @Test
  @Order(2)
  void clientsCountAndDeliveriesShowInStatusAndMetrics() throws Exception {
    liveOnIex();
    try (WsProbe client = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"))) {
      client.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}");
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\",\"MSFT\"],\"quotes\":[\"AAPL\"]}");
      client.awaitText("\"T\":\"t\"", WAIT);
      Await.until("status to count the client and its deliveries", WAIT, () -> {
        JsonObject clients = json(get("/api/v1/ws/status").body()).getJsonObject("clients");
        return clients.getInt("authenticated") >= 1 && clients.getJsonNumber("messagesSent").longValue() > 0;
      });
      String metrics = get("/metrics").body();
      for (String series : List.of(
          "tickrelay_upstream_messages_received", "tickrelay_upstream_bytes_received",
          "tickrelay_upstream_reconnects", "tickrelay_upstream_state", "tickrelay_upstream_connected",
          "tickrelay_clients_connected", "tickrelay_clients_messages_sent",
          "tickrelay_clients_messages_conflated", "tickrelay_clients_messages_dropped",
          "tickrelay_clients_slow_disconnects")) {
        assertTrue(metrics.contains(series), series + " missing from /metrics");
      }
      // the latency histogram: Liberty names a timer's series with its unit (_seconds), Payara not
      String latency = metrics.contains("tickrelay_delivery_latency_seconds_bucket")
          ? "tickrelay_delivery_latency_seconds" : "tickrelay_delivery_latency";
      assertTrue(metrics.contains(latency + "_bucket{"), "latency histogram buckets missing from /metrics");
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("tickrelay_upstream_state{")
          && l.contains("state=\"CONNECTED\"") && l.endsWith(" 1.0")), "the CONNECTED state gauge is 1");
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith(latency + "_count")
          && !l.endsWith(" 0.0") && !l.endsWith(" 0")), "latency observed for live deliveries");
    }
  }

  @Test
  @Order(3)
  void healthProbesCarryTheirData() throws Exception {
    liveOnIex();
    HttpResponse<String> started = get("/health/started");
    assertEquals(200, started.statusCode(), started.body());
    assertTrue(started.body().contains("\"mode\":\"alpaca\""), started.body());
    HttpResponse<String> live = get("/health/live");
    assertEquals(200, live.statusCode(), live.body());
    assertTrue(live.body().contains("heapUsedBytes"), live.body());
    HttpResponse<String> ready = get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("\"alpaca-stocks.feed\":\"iex\""), ready.body());
    assertTrue(ready.body().contains("alpaca-stocks.feedReason"), ready.body());
  }

  @Test
  @Order(4)
  void noSecretInAnyResponseOrLog() throws Exception {
    liveOnIex();
    // a wrong secret and an auth frame cut off mid-way: both are answered and logged, never echoed
    try (WsProbe wrong = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"));
        WsProbe broken = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"))) {
      wrong.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"Wr0ng-Guess-7731\"}");
      assertTrue(wrong.awaitText("\"code\":402", WAIT).contains("auth failed"));
      broken.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"Half-Sent-5521\"");
      assertTrue(broken.awaitText("\"code\":400", WAIT).contains("invalid syntax"));
      for (String frame : wrong.received()) {
        assertNoSecret("a client frame", frame);
      }
      for (String frame : broken.received()) {
        assertNoSecret("a client frame", frame);
      }
    }
    for (String path : List.of("/api/v1/ws/status", "/health", "/health/ready", "/metrics")) {
      assertNoSecret(path, get(path).body());
    }
    Await.until("the failed auth logged", WAIT, () -> serverLogs().contains("auth failed"));
    assertNoSecret("the server logs", serverLogs());
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      // the message names the place, never the secret itself
      assertFalse(text.contains(secret), "a secret appears in " + where);
    }
  }

  /**
   * Everything the IT server wrote: on Liberty messages.log, trace.log (down to FINE) and FFDC
   * files; on Payara the log the build names in {@code tickrelay.it.server.logs}.
   */
  private static String serverLogs() {
    Path logs = Path.of(System.getProperty("tickrelay.it.server.logs",
        "target/liberty-usr/servers/" + System.getProperty("tickrelay.it.server", "tickrelay-it") + "/logs"));
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(logs)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }
}
