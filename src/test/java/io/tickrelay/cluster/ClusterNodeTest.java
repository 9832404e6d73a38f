package io.tickrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.simulator.SimulatorSettings;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RedisServer;
import io.tickrelay.testing.TcpProxy;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.GatedStream;
import io.tickrelay.upstream.UpstreamDefinition;
import io.tickrelay.upstream.UpstreamListener;
import io.tickrelay.upstream.UpstreamSettings;
import io.tickrelay.upstream.UpstreamStateChanged;
import io.tickrelay.marketdata.MarketDataReceived;
import java.net.InetSocketAddress;
import org.glassfish.tyrus.client.ClientManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two or three cluster nodes in one JVM, each with its own Redis connection, scheduler and upstream
 * group, against a real redis-server and a fake Alpaca that answers a second connection per key
 * with 406: one upstream connection at every moment (the fake's peak of simultaneously
 * authenticated sessions stays 1), takeover after a crash or a cut from Redis within 5 s, handover
 * on an orderly stop, a non-owner's demand upstream within 1 s, a dead node's demand gone, and no
 * owner while Redis is down.
 */
class ClusterNodeTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  /** The default lease timing; the demand expires sooner so a dead node's demand leaves quickly. */
  private static final ClusterTiming TIMING = new ClusterTiming(Duration.ofSeconds(3),
      Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(3));
  private static final Interest AAPL = Interest.of(Channel.TRADES, "AAPL");

  private final ClientManager client = ClientManager.createClient();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<GatedStream> streams = new ArrayList<>();
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  private RedisServer redis;
  private FakeAlpaca fake;
  private UpstreamDefinition definition;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    fake = FakeAlpaca.start(new SimulatorSettings(
        Credential.withPlainSecret(FakeAlpaca.KEY, FakeAlpaca.SECRET, Set.of("*")),
        SimulatorSettings.ALPACA_FEEDS, 1, Duration.ofSeconds(10), 50, Duration.ofSeconds(1)), -1);
    UpstreamSettings settings = new UpstreamSettings("cluster-stocks", fake.baseUrl(),
        List.of("iex"), FakeAlpaca.KEY, FakeAlpaca.SECRET, Duration.ofSeconds(5),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofMillis(500),
        Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ZERO,
        UpstreamSettings.SilenceCheck.OFF, Duration.ofMinutes(15), 3);
    definition = new UpstreamDefinition(AlpacaProtocol.stocks(), settings, true);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.forEach(ClusterNode::crash);
    streams.forEach(GatedStream::end);
    schedulers.forEach(ScheduledExecutorService::shutdownNow);
    for (TcpProxy proxy : proxies) {
      proxy.close();
    }
    fake.close();
    tasks.close();
    client.shutdown();
    redis.close();
  }

  private ClusterNode node(String name) {
    return node(name, redis.url());
  }

  private ClusterNode node(String name, String url) {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    schedulers.add(scheduler);
    ClusterNode node = new ClusterNode(name, "127.0.0.1", () -> RedisEngine.connect(url,
        TIMING.commandTimeout()), TIMING, scheduler, Clock.systemUTC());
    GatedStream stream = GatedStream.of(definition, client::connectToServer, tasks, new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {}

      @Override
      public void received(MarketDataReceived data) {}
    }, Clock.systemUTC());
    streams.add(stream);
    node.govern(stream);
    node.start();
    nodes.add(node);
    return node;
  }

  /** Through a proxy the test can freeze: the node's link to Redis hangs, nothing is closed. */
  private ClusterNode nodeBehindProxy(String name) throws Exception {
    TcpProxy proxy = new TcpProxy(0, new InetSocketAddress("127.0.0.1", redis.port()));
    proxies.add(proxy);
    return node(name, "redis://127.0.0.1:" + proxy.port());
  }

  private String stream() {
    return definition.stream();
  }

  private List<ClusterNode> owners() {
    return nodes.stream().filter(n -> n.owns(stream())).toList();
  }

  private ClusterNode awaitOneOwner(Duration within) {
    Await.until("one owner", within, () -> owners().size() == 1
        && fake.simulator().peakConnections(FakeAlpaca.KEY) >= 1 && liveAtFake());
    return owners().get(0);
  }

  private ClusterNode awaitOwnerOtherThan(ClusterNode old, Duration within) {
    Await.until("an owner other than " + old.node(), within, () -> owners().size() == 1
        && owners().get(0) != old && fake.simulator().sessions() == 1);
    return owners().get(0);
  }

  private boolean liveAtFake() {
    return streams.stream().anyMatch(s -> s.isOpen()) && fake.simulator().sessions() >= 1;
  }

  private void assertNeverTwoUpstreams() {
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY),
        "the fake never had two authenticated connections for the key at once");
  }

  @Test
  void threeNodesOneOwnerOneConnectionAndEveryNodeSeesIt() {
    node("n1");
    node("n2");
    node("n3");
    ClusterNode owner = awaitOneOwner(WAIT);
    Await.until("every node sees the owner and three live nodes", WAIT, () -> nodes.stream()
        .map(ClusterNode::status)
        .allMatch(s -> s.liveNodes().equals(List.of("n1", "n2", "n3"))
            && owner.node().equals(s.upstreams().get(0).owner())
            && s.upstreams().get(0).term() >= 1 && s.redis().up()));
    ClusterStatus mine = owner.status();
    assertTrue(mine.upstreams().get(0).here());
    assertTrue(mine.upstreams().get(0).since() != null);
    assertEquals(1, owners().size());
    assertNeverTwoUpstreams();
  }

  @Test
  void aCrashedOwnerIsReplacedWithinFiveSeconds() {
    node("n1");
    node("n2");
    node("n3");
    ClusterNode owner = awaitOneOwner(WAIT);
    long crashed = System.nanoTime();
    owner.crash();
    ClusterNode next = awaitOwnerOtherThan(owner, Duration.ofSeconds(5));
    Duration took = Duration.ofNanos(System.nanoTime() - crashed);
    System.out.println("ClusterNodeTest: crash to new owner live upstream in " + took.toMillis() + " ms");
    assertFalse(next == owner);
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, took.toString());
    assertNeverTwoUpstreams();
  }

  @Test
  void anOwnerCutFromRedisClosesItsUpstreamBeforeAnotherTakesOver() throws Exception {
    ClusterNode cut = nodeBehindProxy("cut");
    awaitOneOwner(WAIT); // the proxied node alone: it owns
    node("n2");
    node("n3");
    Await.until("the others see the owner", WAIT, () -> nodes.get(1).status().upstreams().get(0)
        .owner() != null);
    long frozen = System.nanoTime();
    proxies.get(0).freeze(); // renewals hang and time out: a partition, or the owner paused
    Await.until("the cut owner closes its upstream", TIMING.leaseTtl(), () -> !cut.owns(stream()));
    Duration fenced = Duration.ofNanos(System.nanoTime() - frozen);
    ClusterNode next = awaitOwnerOtherThan(cut, Duration.ofSeconds(5));
    Duration took = Duration.ofNanos(System.nanoTime() - frozen);
    System.out.println("ClusterNodeTest: cut owner closed after " + fenced.toMillis()
        + " ms, new owner live after " + took.toMillis() + " ms");
    assertTrue(fenced.compareTo(TIMING.leaseTtl()) < 0, "self-fenced before the lease expired");
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, took.toString());
    assertFalse(next == cut);
    assertFalse(cut.owns(stream()), "the cut owner stopped before the lease could pass");
    assertTrue(cut.renewFailures() > 0);
    assertNeverTwoUpstreams();
  }

  @Test
  void anOrderlyStopHandsOverAtOnce() {
    node("n1");
    node("n2");
    ClusterNode owner = awaitOneOwner(WAIT);
    long stopped = System.nanoTime();
    owner.stop();
    ClusterNode next = awaitOwnerOtherThan(owner, Duration.ofSeconds(2));
    Duration took = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.println("ClusterNodeTest: handover in " + took.toMillis() + " ms");
    assertFalse(next == owner);
    assertTrue(took.compareTo(TIMING.leaseTtl()) < 0, "released, not expired: " + took);
    assertNeverTwoUpstreams();
  }

  @Test
  void aNonOwnersDemandReachesTheUpstreamWithinASecondAndLeavesWhenItDies() {
    node("n1");
    node("n2");
    ClusterNode owner = awaitOneOwner(WAIT);
    ClusterNode other = nodes.get(0) == owner ? nodes.get(1) : nodes.get(0);
    Await.until("the other node's heartbeat is in", WAIT,
        () -> owner.status().liveNodes().size() == 2);
    long asked = System.nanoTime();
    other.localDemand(new DemandChanged(stream(), AAPL, Interest.none()));
    Await.until("AAPL subscribed at the fake", Duration.ofSeconds(1),
        () -> fake.simulator().subscriptionsOf(FakeAlpaca.KEY).containsAll(AAPL));
    System.out.println("ClusterNodeTest: demand upstream in "
        + Duration.ofNanos(System.nanoTime() - asked).toMillis() + " ms");

    long died = System.nanoTime();
    other.crash();
    Await.until("the dead node's AAPL unsubscribed", TIMING.deadDemandBound().plusSeconds(1),
        () -> !fake.simulator().subscriptionsOf(FakeAlpaca.KEY).overlaps(AAPL));
    System.out.println("ClusterNodeTest: dead node's demand gone in "
        + Duration.ofNanos(System.nanoTime() - died).toMillis() + " ms");
    assertTrue(owner.owns(stream()));
    assertNeverTwoUpstreams();
  }

  @Test
  void removedDemandLeavesTheUpstreamAndTheOwnersOwnDemandCounts() {
    node("n1");
    node("n2");
    ClusterNode owner = awaitOneOwner(WAIT);
    owner.localDemand(new DemandChanged(stream(), Interest.of(Channel.QUOTES, "MSFT"), Interest.none()));
    Await.until("MSFT quotes subscribed", WAIT, () -> fake.simulator().subscriptionsOf(FakeAlpaca.KEY)
        .containsAll(Interest.of(Channel.QUOTES, "MSFT")));
    owner.localDemand(new DemandChanged(stream(), Interest.none(), Interest.of(Channel.QUOTES, "MSFT")));
    Await.until("MSFT quotes unsubscribed", WAIT, () -> fake.simulator().subscriptionsOf(FakeAlpaca.KEY)
        .isEmpty());
  }

  @Test
  void redisDownLongerThanALeaseStopsEveryOwnerAndTheClusterRecovers() throws Exception {
    node("n1");
    node("n2");
    awaitOneOwner(WAIT);
    long down = System.nanoTime();
    redis.kill();
    Await.until("no owner and no upstream while Redis is down", TIMING.leaseTtl(),
        () -> owners().isEmpty() && streams.stream().noneMatch(GatedStream::isOpen));
    System.out.println("ClusterNodeTest: owner stopped " + Duration.ofNanos(System.nanoTime() - down)
        .toMillis() + " ms after Redis went down");
    assertTrue(nodes.stream().noneMatch(ClusterNode::redisUp));
    assertTrue(nodes.get(0).status().redis().lastError() != null);
    redis.restart();
    awaitOneOwner(WAIT);
    Await.until("Redis reported up again", WAIT, () -> nodes.stream().allMatch(ClusterNode::redisUp));
    assertNeverTwoUpstreams();
  }
}
