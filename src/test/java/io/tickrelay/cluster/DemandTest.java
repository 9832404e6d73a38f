package io.tickrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Demand in Redis against a real redis-server, two nodes as two connections: the owner sees the
 * union of live nodes' demand, a node's change at once, a silent node's demand leaves with its
 * heartbeat, a leaving node's at once, and a node's demand comes back after Redis lost it.
 */
class DemandTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration LONG_TTL = Duration.ofSeconds(30);

  private static RedisServer redis;
  private RedisEngine nodeA;
  private RedisEngine nodeB;
  private UpstreamKey key;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void connect(TestInfo test) {
    nodeA = RedisEngine.connect(redis.url(), Duration.ofSeconds(2));
    nodeB = RedisEngine.connect(redis.url(), Duration.ofSeconds(2));
    key = new UpstreamKey("alpaca", "acct-" + test.getTestMethod().orElseThrow().getName(),
        "/v2/iex");
  }

  @AfterEach
  void disconnect() {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void theOwnerSeesTheUnionOfEveryNodesDemandAndEachChange() {
    Demand a = new Demand(nodeA.commands(), key, "a", LONG_TTL);
    Demand b = new Demand(nodeB.commands(), key, "b", LONG_TTL);
    get(a.replace(Set.of("trades:AAPL", "quotes:MSFT")));
    get(b.replace(Set.of("trades:AAPL", "trades:TSLA")));
    assertEquals(Set.of("a", "b"), Set.copyOf(get(a.liveNodes())));
    assertEquals(Set.of("trades:AAPL", "quotes:MSFT", "trades:TSLA"), get(b.union()));

    get(a.replace(Set.of()));
    assertEquals(Set.of("trades:AAPL", "trades:TSLA"), get(b.union()), "a's demand shrank to none");
    assertEquals(Set.of("a", "b"), Set.copyOf(get(a.liveNodes())), "a node without demand is alive");
  }

  @Test
  void aSilentNodesDemandLeavesWithItsHeartbeat() {
    Duration ttl = Duration.ofMillis(400);
    Demand a = new Demand(nodeA.commands(), key, "a", ttl);
    Demand b = new Demand(nodeB.commands(), key, "b", ttl);
    get(a.replace(Set.of("trades:AAPL")));
    get(b.replace(Set.of("trades:TSLA")));
    long start = System.nanoTime();
    // b keeps beating (Await's 20 ms polls pace it), a has died
    Await.until("a's demand to expire", WAIT, () -> {
      get(b.heartbeat());
      return get(b.union()).equals(Set.of("trades:TSLA"));
    });
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(ttl.minusMillis(50)) >= 0, "gone before its expiry: " + took);
    assertEquals(List.of("b"), get(b.liveNodes()));
    assertEquals(0, get(nodeB.commands().exists(key.wantKey("a"))), "a's set expired too");
  }

  @Test
  void aLeavingNodesDemandLeavesAtOnce() {
    Demand a = new Demand(nodeA.commands(), key, "a", LONG_TTL);
    Demand b = new Demand(nodeB.commands(), key, "b", LONG_TTL);
    get(a.replace(Set.of("trades:AAPL")));
    get(b.replace(Set.of("trades:TSLA")));
    get(a.leave());
    assertEquals(List.of("b"), get(b.liveNodes()));
    assertEquals(Set.of("trades:TSLA"), get(b.union()));
  }

  @Test
  void aHeartbeatWritesTheDemandAgainAfterRedisLostIt() throws Exception {
    try (RedisServer own = RedisServer.start();
        RedisEngine a1 = RedisEngine.connect(own.url(), Duration.ofSeconds(2))) {
      Demand a = new Demand(a1.commands(), key, "a", LONG_TTL);
      get(a.replace(Set.of("trades:AAPL")));
      own.restart();
      Await.until("a heartbeat to get through after the restart", WAIT,
          () -> answered(a.heartbeat()));
      assertEquals(Set.of("trades:AAPL"), get(a.union()));
    }
  }

  private static <T> T get(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("Redis call failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("Redis call did not finish", e);
    }
  }

  private static boolean answered(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      return false; // rejected while Lettuce reconnects
    } catch (Exception e) {
      throw new AssertionError("Redis call did not finish", e);
    }
  }
}
