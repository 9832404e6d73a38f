package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickrelay.config.Credential;
import io.tickrelay.simulator.SimulatorSettings;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.GatewayNode;
import io.tickrelay.testing.NodeLogs;
import io.tickrelay.testing.WsProbe;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gateway nodes as real processes from {@code target/tickrelay.jar} (issue 14's process harness,
 * {@link GatewayNode}), without Arquillian: two nodes boot at once against one fake Alpaca and
 * each serves its own client over its own upstream connection (single-node behaviour twice; no
 * cluster yet), and {@code kill -9}, {@code kill -STOP}/{@code -CONT} and a graceful stop do to a
 * node what the cluster tests will rely on, without disturbing the other.
 *
 * <p>Runs in the Liberty pass only (the {@code payara} profile excludes it and does not build the
 * jar): the jar is Liberty's, so a second run would test nothing new.
 */
class NodeProcessIT {

  private static final Duration BOOT = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CLIENT_KEY = "node-client";
  private static final String CLIENT_SECRET = "Node-Client-Secret-5521";

  @RegisterExtension final NodeLogs logs = new NodeLogs();

  @BeforeAll
  static void jarBuilt() {
    assumeTrue(Files.isRegularFile(GatewayNode.JAR),
        GatewayNode.JAR + " not built (mvn package without -DskipLibertyPackage builds it)");
  }

  @Test
  void twoNodesServeTheirClientsAndOneNodesKillOrFreezeLeavesTheOtherServing() throws Exception {
    // two connections per key: each node holds its own upstream until the cluster shares one
    try (FakeAlpaca upstream = FakeAlpaca.start(twoConnectionsPerKey(), -1);
        GatewayNode a = logs.track(GatewayNode.launch("a", env(upstream)));
        GatewayNode b = logs.track(GatewayNode.launch("b", env(upstream)))) {
      a.awaitReady(BOOT);
      b.awaitReady(BOOT);
      System.out.printf("NodeProcessIT: node a ready after %d ms, node b after %d ms (booted together)%n",
          a.bootTime().toMillis(), b.bootTime().toMillis());
      assertNotEquals(a.httpPort(), b.httpPort());
      assertNotEquals(a.server().pid(), b.server().pid());
      Await.until("both nodes' upstreams authenticated at the fake", WAIT,
          () -> upstream.simulator().peakConnections(FakeAlpaca.KEY) == 2);

      try (WsProbe onA = subscribed(a, "AAPL"); WsProbe onB = subscribed(b, "MSFT")) {
        onA.awaitText("\"S\":\"AAPL\"", WAIT);
        onB.awaitText("\"S\":\"MSFT\"", WAIT);

        // kill -STOP: the frozen node answers nothing, the other serves on
        a.pause();
        assertThrows(HttpTimeoutException.class, () -> health(a, Duration.ofSeconds(2)),
            "a frozen node must not answer");
        onB.clear();
        onB.awaitText("\"S\":\"MSFT\"", WAIT);
        // kill -CONT: it answers again and its client receives again
        a.resume();
        Await.until("node a to answer /health/ready again", WAIT, () -> healthQuietly(a) == 200);
        onA.clear();
        onA.awaitText("\"S\":\"AAPL\"", WAIT);

        // kill -9: the server JVM is gone, its port refuses, its client and upstream are cut
        long bServer = b.server().pid();
        b.kill();
        assertFalse(b.isAlive());
        assertFalse(ProcessHandle.of(bServer).map(ProcessHandle::isAlive).orElse(false));
        assertThrows(ConnectException.class, () -> new Socket("localhost", b.httpPort()).close());
        assertTrue(onB.awaitClose(WAIT) != null, "b's client sees its connection end");
        Await.until("b's upstream connection to end at the fake", WAIT,
            () -> upstream.simulator().sessions() == 1);
        onA.clear();
        onA.awaitText("\"S\":\"AAPL\"", WAIT);
      }

      // a graceful stop: the launcher's SIGTERM stops the server, which closes its upstream
      a.stop();
      assertFalse(a.isAlive());
      Await.until("a's upstream connection to end at the fake", WAIT,
          () -> upstream.simulator().sessions() == 0);
      assertTrue(a.log().contains("CWWKE0036I"), "a logged its server's stop");
      assertEquals(List.of(), a.settingsWithSecretInLog(), "secrets in node a's logs");
      assertEquals(List.of(), b.settingsWithSecretInLog(), "secrets in node b's logs");
    }
  }

  /** A node in live mode against the fake: stock stream only, one client credential. */
  private static Map<String, String> env(FakeAlpaca upstream) {
    return Map.of(
        "APCA_API_KEY_ID", FakeAlpaca.KEY,
        "APCA_API_SECRET_KEY", FakeAlpaca.SECRET,
        "TICKRELAY_ALPACA_STREAM_URL", upstream.baseUrl().toString(),
        "TICKRELAY_ALPACA_DATA_URL", upstream.dataUrl().toString(),
        "TICKRELAY_ALPACA_TRADE_UPDATES", "false",
        "TICKRELAY_ALPACA_CRYPTO_LOCATIONS", "none",
        "TICKRELAY_CLIENTS", CLIENT_KEY + ":" + CLIENT_SECRET + ":*",
        // every gateway line down to FINE reaches trace.log, so the secret check sees them all
        "TICKRELAY_TRACE_SPEC", "*=info:io.tickrelay.*=fine");
  }

  private static SimulatorSettings twoConnectionsPerKey() {
    SimulatorSettings one = FakeAlpaca.settings(Set.of("*"));
    return new SimulatorSettings(
        Credential.withPlainSecret(FakeAlpaca.KEY, FakeAlpaca.SECRET, Set.of("*")),
        one.feeds(), 2, one.authTimeout(), one.tradesPerSecond(), one.barInterval());
  }

  private static WsProbe subscribed(GatewayNode node, String symbol) throws Exception {
    WsProbe probe = WsProbe.connect(node.ws("/v2/iex"));
    probe.awaitText("connected", WAIT);
    probe.send("{\"action\":\"auth\",\"key\":\"" + CLIENT_KEY + "\",\"secret\":\"" + CLIENT_SECRET + "\"}");
    probe.awaitText("authenticated", WAIT);
    probe.send("{\"action\":\"subscribe\",\"trades\":[\"" + symbol + "\"]}");
    probe.awaitText("subscription", WAIT);
    return probe;
  }

  private static int health(GatewayNode node, Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    HttpRequest ready = HttpRequest.newBuilder(node.baseUri().resolve("/health/ready"))
        .timeout(timeout).build();
    return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int healthQuietly(GatewayNode node) {
    try {
      return health(node, Duration.ofSeconds(2));
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
