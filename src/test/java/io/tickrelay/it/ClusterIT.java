package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.RedisServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipFile;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lettuce, with its Netty and Reactor, works inside the WAR on the server under test (issue 14:
 * "check early ... on Liberty and on Payara"): an IT-only resource in the deployed WAR takes a lease
 * and makes a fenced append on a real redis-server, then Lettuce's threads are gone. Clustering
 * stays off for the gateway: the shared IT configuration names no Redis.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClusterIT {

  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static RedisServer redis;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war().addClass(RedisProbeResource.class);
  }

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void theWarShipsLettuceNettyAndReactor() throws Exception {
    try (ZipFile war = new ZipFile(new File("target/tickrelay.war"))) {
      List<String> libs = war.stream().map(entry -> entry.getName())
          .filter(name -> name.startsWith("WEB-INF/lib/")).toList();
      for (String jar : List.of("lettuce-core-", "netty-common-", "netty-handler-",
          "netty-transport-", "reactor-core-")) {
        assertTrue(libs.stream().anyMatch(name -> name.startsWith("WEB-INF/lib/" + jar)),
            jar + " missing from " + libs);
      }
    }
  }

  @Test
  void aLeaseAndAFencedAppendFromInsideTheServerReachRedis() throws Exception {
    HttpResponse<String> probe = get("/api/it/redis-probe?port=" + redis.port());
    assertEquals(200, probe.statusCode(), probe.body());
    System.out.println("ClusterIT probe, where the server loaded each library from:\n" + probe.body());
    assertTrue(probe.body().startsWith("term=1\naccepted=true\n"), probe.body());

    Duration t = Duration.ofSeconds(2);
    String owner = redis.command(t, "GET", RedisProbeResource.KEY.ownerKey());
    assertTrue(owner != null && owner.startsWith("it-node:") && owner.endsWith("|1"), owner);
    assertEquals("1", redis.command(t, "XLEN", RedisProbeResource.KEY.logKey()));
    assertTrue(redis.command(t, "XRANGE", RedisProbeResource.KEY.logKey(), "-", "+")
        .endsWith("d\nfrom inside the server"));

    Await.until("no Lettuce thread left in the server", WAIT,
        () -> get("/api/it/redis-probe/threads").body().isEmpty());
  }

  private static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
