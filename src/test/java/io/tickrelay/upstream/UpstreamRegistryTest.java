package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One connection per key, however many threads demand and release it at once. */
class UpstreamRegistryTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ClientManager client = ClientManager.createClient();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final AtomicInteger alive = new AtomicInteger();
  private final AtomicInteger maxAlive = new AtomicInteger();
  private FakeAlpaca fake;

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.close();
    }
    tasks.close();
    client.shutdown();
  }

  private UpstreamRegistry registry() {
    return new UpstreamRegistry(key -> {
      maxAlive.accumulateAndGet(alive.incrementAndGet(), Math::max);
      return new UpstreamConnection(AlpacaProtocol.stocks(),
          UpstreamConnectionTest.settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET),
          client::connectToServer, tasks, new UpstreamListener() {
            @Override
            public void stateChanged(UpstreamStateChanged change) {
              if (change.to() == UpstreamState.STOPPED) {
                alive.decrementAndGet();
              }
            }

            @Override
            public void received(MarketDataReceived data) {}
          }, Clock.systemUTC());
    });
  }

  @Test
  void concurrentDemandAndReleaseNeverMakeTwoConnections() throws Exception {
    fake = FakeAlpaca.start();
    UpstreamRegistry registry = registry();
    UpstreamKey key = new UpstreamKey("alpaca", FakeAlpaca.KEY, "stocks");
    UpstreamRegistry.Lease anchor = registry.acquire(key); // keeps one connection throughout
    Await.until("live", WAIT, () -> registry.liveCount() == 1);
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 500; i++) {
          UpstreamRegistry.Lease lease = registry.acquire(key);
          assertTrue(lease.connection() == anchor.connection(), "one shared connection");
          lease.release();
          lease.release(); // a second release of the same lease changes nothing
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(1, registry.created());
    assertEquals(1, registry.connections().size());
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY));
    anchor.release();
    assertEquals(0, registry.connections().size(), "the last release closes it");
    Await.until("the upstream session closed", WAIT, () -> fake.simulator().sessions() == 0);
  }

  /**
   * Review L13: on shutdown the client hub's last sessions release their leases after {@code
   * stopAll} cleared the registry; that release threw a NullPointerException.
   */
  @Test
  void aReleaseAfterStopAllIsQuietAndTouchesNoSuccessor() throws Exception {
    fake = FakeAlpaca.start();
    UpstreamRegistry registry = registry();
    UpstreamKey key = new UpstreamKey("alpaca", FakeAlpaca.KEY, "stocks");
    UpstreamRegistry.Lease before = registry.acquire(key);
    UpstreamRegistry.Lease closing = registry.acquire(key);
    registry.stopAll();
    closing.release(); // threw a NullPointerException before the fix
    UpstreamRegistry.Lease after = registry.acquire(key);
    before.release(); // stopped the successor before the fix
    assertEquals(1, registry.connections().size(), "the stale lease left the successor alone");
    after.release();
    assertEquals(0, registry.connections().size());
  }

  @Test
  void churnOfFirstAndLastDemandStillNeverOverlaps() throws Exception {
    fake = FakeAlpaca.start();
    UpstreamRegistry registry = registry();
    UpstreamKey key = new UpstreamKey("alpaca", FakeAlpaca.KEY, "stocks");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < 300; i++) {
          registry.acquire(key).release(); // every release may be the last: open, close, open...
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(1, maxAlive.get(), "never two connection objects alive for one key");
    assertEquals(0, registry.connections().size());
    assertTrue(fake.simulator().peakConnections(FakeAlpaca.KEY) <= 1);
  }
}
