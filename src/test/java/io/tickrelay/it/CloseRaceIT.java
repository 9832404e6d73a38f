package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RawWebSocket;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15 (M8), the close-versus-subscribe race on the real WAR: many sockets authenticate and
 * subscribe while they drop their TCP connection in the middle (no close frame). Afterwards no
 * client is counted, the credential's connection count is back to zero (its limit of five
 * connections is free again) and the fake upstream was told to unsubscribe every symbol, so no
 * demand stays pinned by a session that is gone.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CloseRaceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final URI IEX = URI.create("ws://localhost:" + PORT + "/v2/iex");
  private static final String KEY = "warits-race";
  private static final String SECRET = "Race-Secret-9904";
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"}";
  private static final int LIMIT = 5;
  private static final int SOCKETS = 120;

  private static FakeAlpaca upstream;
  private final HttpClient http = HttpClient.newHttpClient();

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
  void socketsDroppedWhileTheySubscribeLeaveNoCountAndNoDemand() throws Exception {
    int connectedBefore = clients().getInt("connected");
    int admittedBefore = clients().getInt("admitted");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        int n = i;
        runs.add(pool.submit(() -> {
          boolean byHeader = n % 2 == 0;
          RawWebSocket socket = RawWebSocket.open(IEX, byHeader
              ? Map.of("APCA-API-KEY-ID", KEY, "APCA-API-SECRET-KEY", SECRET) : Map.of(), WAIT);
          try {
            if (!byHeader) {
              socket.sendText(AUTH);
            }
            socket.sendText("{\"action\":\"subscribe\",\"trades\":[\"RACE" + n + "\"],\"quotes\":[\"RACE"
                + n + "\"]}");
            if (n % 3 == 0) { // some wait for their subscription to be acknowledged first
              socket.await(f -> f.text().contains("subscription") || f.text().contains("406"), WAIT);
            }
          } finally {
            socket.abort(); // the TCP connection drops in the middle: no close frame
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Await.until("every dropped socket to be let go", WAIT,
        () -> clients().getInt("connected") <= connectedBefore
            && clients().getInt("admitted") <= admittedBefore);
    // no demand stays pinned: the upstream is told to drop every symbol (after the linger, PT5S)
    Await.until("the upstream to lose every RACE symbol", WAIT, () -> {
      var held = upstream.simulator().subscriptionsOf(FakeAlpaca.KEY);
      for (int i = 0; i < SOCKETS; i++) {
        if (held.matches(Channel.TRADES, "RACE" + i) || held.matches(Channel.QUOTES, "RACE" + i)) {
          return false;
        }
      }
      return true;
    });
    // the credential's count is back to zero: all of its five connections authenticate at once
    List<WsProbe> probes = new ArrayList<>();
    try {
      for (int i = 0; i < LIMIT; i++) {
        WsProbe probe = WsProbe.connect(IEX);
        probes.add(probe);
        probe.awaitText("connected", WAIT);
        probe.send(AUTH);
        probe.awaitText("\"T\":\"", WAIT); // "connected" was taken above: this is the answer
      }
      for (WsProbe probe : probes) {
        assertEquals(1, probe.received().stream().filter(f -> f.contains("authenticated")).count(),
            "a connection of the credential was refused: " + probe.received());
      }
    } finally {
      for (WsProbe probe : probes) {
        probe.close();
      }
    }
  }

  private JsonObject clients() {
    try {
      String body = http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/ws/status"))
                  .timeout(WAIT).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
      return Json.createReader(new StringReader(body)).readObject().getJsonObject("clients");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
