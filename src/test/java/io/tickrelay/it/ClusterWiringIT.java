package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RedisServer;
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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR with clustering on (issue 14, control plane): deployed with {@code
 * tickrelay.cluster.redis-url} naming a redis-server this test started, the only node takes the
 * stock upstream's lease, connects once to the fake Alpaca, and status and metrics say so. The
 * setting comes from a {@code microprofile-config.properties} in a library jar of this deployment
 * only (ordinal 500, above the server's system properties), so every other IT stays single-node.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClusterWiringIT {

  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static RedisServer redis;

  @Deployment(testable = false)
  static WebArchive deployment() throws IOException {
    redis = RedisServer.start(); // before the WAR starts: the node connects at once
    JavaArchive config = ShrinkWrap.create(JavaArchive.class, "it-cluster-config.jar")
        .addAsManifestResource(new StringAsset("config_ordinal=500\n"
            + "tickrelay.cluster.redis-url=redis://127.0.0.1:" + redis.port() + "/0\n"
            + "tickrelay.cluster.node-id=it-node\n"), "microprofile-config.properties");
    return ItGateway.war().addAsLibrary(config);
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void theOnlyNodeOwnsTheStockUpstreamConnectsOnceAndSaysSo() throws Exception {
    try (FakeAlpaca upstream = ItGateway.upstreamWithGatewayConnected()) {
      AtomicReference<JsonObject> seen = new AtomicReference<>();
      Await.until("status shows this node owning the stock upstream", WAIT, () -> {
        JsonObject status = json(get("/api/v1/ws/status").body());
        seen.set(status);
        JsonObject cluster = status.getJsonObject("cluster");
        return cluster != null && cluster.getJsonObject("redis").getBoolean("up")
            && cluster.getJsonArray("upstreams").getValuesAs(JsonObject.class).stream()
                .anyMatch(u -> u.getString("stream").equals("stocks") && u.getBoolean("here")
                    && "it-node".equals(u.getString("owner", null)));
      });
      JsonObject cluster = seen.get().getJsonObject("cluster");
      assertEquals("it-node", cluster.getString("node"));
      assertTrue(cluster.getJsonArray("liveNodes").toString().contains("\"it-node\""), cluster.toString());
      String redisAt = cluster.getJsonObject("redis").getString("at");
      assertEquals("redis://127.0.0.1:" + redis.port(), redisAt);

      Duration t = Duration.ofSeconds(2);
      String owner = redis.command(t, "GET", "tr:{alpaca:fake-key}:owner:stocks");
      assertTrue(owner != null && owner.startsWith("it-node~"), String.valueOf(owner));
      assertEquals(1, upstream.simulator().peakConnections(FakeAlpaca.KEY),
          "one upstream connection for the key");

      String metrics = get("/metrics").body();
      assertTrue(metrics.contains("tickrelay_cluster_owner{stream=\"stocks\",provider=\"alpaca\"} 1"),
          metrics);
      assertTrue(metrics.contains("tickrelay_cluster_redis_up 1"), metrics);
      assertFalse(ItGateway.serverLogs().contains("redis://127.0.0.1:" + redis.port() + "/0"),
          "the Redis URL itself never reaches a log");
    }
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
}
