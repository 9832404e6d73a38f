package io.tickrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.RedisServer;
import io.tickrelay.testing.SteppedClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * Lease and fenced append against a real redis-server through Lettuce, two nodes as two
 * connections: one owner at a time, renewals keep it, a stalled owner loses it and is refused by
 * Redis, a release hands over at once, a Redis restart without persistence takes every lease.
 */
class LeaseTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration SHORT_TTL = Duration.ofMillis(400);
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
  void ofTwoContendersExactlyOneOwns() throws Exception {
    Lease a = lease(nodeA, "a", LONG_TTL, Clock.systemUTC());
    Lease b = lease(nodeB, "b", LONG_TTL, Clock.systemUTC());
    CompletableFuture<OptionalLong> byA = a.acquire().toCompletableFuture();
    CompletableFuture<OptionalLong> byB = b.acquire().toCompletableFuture();
    OptionalLong termA = get(byA);
    OptionalLong termB = get(byB);

    assertTrue(termA.isPresent() ^ termB.isPresent(), "exactly one wins: " + termA + " " + termB);
    Lease winner = termA.isPresent() ? a : b;
    Lease loser = termA.isPresent() ? b : a;
    assertEquals(1, (termA.isPresent() ? termA : termB).getAsLong(), "the first term is 1");
    assertTrue(winner.holds());
    assertFalse(loser.holds());
    assertEquals(winner.fence(), get(loser.holder()), "Redis names the winner");
    assertFalse(get(loser.renew()), "a node that never held it cannot renew it");
    assertFalse(get(loser.acquire()).isPresent(), "nor take it while it is held");
  }

  @Test
  void renewalsKeepTheLeaseBeyondItsExpiry() throws Exception {
    Duration ttl = Duration.ofSeconds(1);
    Lease a = lease(nodeA, "a", ttl, Clock.systemUTC());
    Lease b = lease(nodeB, "b", ttl, Clock.systemUTC());
    long term = get(a.acquire()).getAsLong();
    long until = System.nanoTime() + 3 * ttl.toNanos();
    // Await paces the loop (every 20 ms, far inside the 1 s expiry, so a loaded machine's pauses
    // do not count); each turn renews and checks that the contender is still refused
    Await.until("three expiries' worth of renewals", WAIT, () -> {
      assertTrue(get(a.renew()), "renewal refused");
      assertFalse(get(b.acquire()).isPresent(), "the contender took a renewed lease");
      return System.nanoTime() > until;
    });
    assertEquals(new Holder(a.fence().node(), term), get(b.holder()));
    assertTrue(a.holds());
  }

  @Test
  void anOwnerWhoseRenewalsStallLosesTheLeaseAndItsLateAppendIsRefused() throws Exception {
    Lease a = lease(nodeA, "a", SHORT_TTL, Clock.systemUTC());
    Lease b = lease(nodeB, "b", SHORT_TTL, Clock.systemUTC());
    FencedLog logA = new FencedLog(nodeA.data(), 1000);
    FencedLog logB = new FencedLog(nodeB.data(), 1000);
    long termA = get(a.acquire()).getAsLong();
    assertTrue(get(logA.append(key, a.fence(), 1, bytes("from a"))).accepted());

    // a stops renewing (a GC pause, SIGSTOP, a partition): b keeps trying, as a standby does
    long termB = Await.value("b to take the lease after a's expiry", WAIT,
        () -> {
          OptionalLong term = get(b.acquire());
          return term.isPresent() ? term.getAsLong() : null;
        });
    assertEquals(termA + 1, termB);
    assertFalse(a.holds(), "a's own view ran out before Redis gave the lease away");

    // a wakes up and writes as if nothing happened: Redis refuses it and names the new term
    Appended late = get(logA.append(key, a.fence(), 1, bytes("late from a")));
    assertFalse(late.accepted());
    assertEquals(termB, late.current().term());
    assertEquals(b.fence(), late.current());
    assertFalse(get(a.renew()), "the old owner cannot extend the new owner's lease");
    assertTrue(get(logB.append(key, b.fence(), 1, bytes("from b"))).accepted());

    assertEquals(Long.valueOf(2), get(nodeB.commands().xlen(key.logKey())));
    assertEquals(java.util.List.of("from a", "from b"),
        get(nodeB.commands().xrange(key.logKey(), io.lettuce.core.Range.<String>unbounded()))
            .stream().map(entry -> entry.getBody().get("d")).toList(),
        "the late write never entered the log");
  }

  @Test
  void theOwnerStopsCountingOnTheLeaseBeforeRedisCanExpireIt() throws Exception {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-12-03T12:00:00Z"));
    Lease a = new Lease(nodeA.commands(), key, token("a"), LONG_TTL, Duration.ofSeconds(10),
        clock);
    get(a.acquire());
    clock.advance(Duration.ofSeconds(19));
    assertTrue(a.holds());
    clock.advance(Duration.ofSeconds(1)); // ttl 30 s - margin 10 s after the acquire was sent
    assertFalse(a.holds(), "no renewal for ttl - margin: the owner must stop");
    assertNotNull(get(a.holder()), "while Redis still keeps the lease");

    assertTrue(get(a.renew()), "a renewal that gets through still counts");
    assertTrue(a.holds());
    clock.advance(Duration.ofSeconds(20));
    assertFalse(a.holds(), "measured from when that renewal was sent");
  }

  @Test
  void aReleaseHandsOverAtOnce() throws Exception {
    Lease a = lease(nodeA, "a", LONG_TTL, Clock.systemUTC());
    Lease b = lease(nodeB, "b", LONG_TTL, Clock.systemUTC());
    long termA = get(a.acquire()).getAsLong();
    assertFalse(get(b.acquire()).isPresent());

    assertTrue(get(a.release()));
    assertFalse(a.holds());
    assertEquals(termA + 1, get(b.acquire()).getAsLong(), "no wait for a 30 s expiry");
    assertFalse(get(a.release()), "a cannot release what b now holds");
    assertEquals(b.fence(), get(a.holder()));
  }

  @Test
  void theLogKeepsAtLeastItsCapAndTrimsTheRest() throws Exception {
    Lease a = lease(nodeA, "a", LONG_TTL, Clock.systemUTC());
    get(a.acquire());
    FencedLog log = new FencedLog(nodeA.data(), 100);
    CompletableFuture<?>[] appends = new CompletableFuture<?>[1000];
    for (int i = 0; i < appends.length; i++) {
      appends[i] = log.append(key, a.fence(), 1, bytes("event " + i)).toCompletableFuture();
    }
    CompletableFuture.allOf(appends).get(10, TimeUnit.SECONDS);
    long length = get(nodeA.commands().xlen(key.logKey()));
    assertTrue(length >= 100 && length < 1000, "XADD MAXLEN ~ 100 kept " + length);
  }

  @Test
  void theEntryIdIsTheNextSequenceNumberAndAnEntryMayTakeSeveral() throws Exception {
    Lease a = lease(nodeA, "a", LONG_TTL, Clock.systemUTC());
    get(a.acquire());
    FencedLog log = new FencedLog(nodeA.data(), 100);
    Appended first = get(log.append(key, a.fence(), 3, bytes("three events")));
    assertEquals("1-0", first.entryId());
    Appended second = get(log.append(key, a.fence(), 1, bytes("one")));
    assertEquals("4-0", second.entryId(), "the first entry took 1, 2 and 3");
    assertEquals(first.epoch(), second.epoch());
    assertEquals(8, first.epoch().length());
  }

  /**
   * Redis restarted without persistence: every lease, term and log is gone. The old owner's
   * renewal answers false (once the connection is back), terms begin again at 1, and the old
   * owner's append is still refused, because the fence compares node token and term. The data
   * plane must start a new epoch then (scaleout.md §5, "Engine restart, no persistence").
   */
  @Test
  void aRedisRestartWithoutPersistenceTakesTheLeaseAndStillFencesTheOldOwner() throws Exception {
    try (RedisServer own = RedisServer.start();
        RedisEngine a1 = RedisEngine.connect(own.url(), Duration.ofSeconds(2));
        RedisEngine b1 = RedisEngine.connect(own.url(), Duration.ofSeconds(2))) {
      Lease a = lease(a1, "a", LONG_TTL, Clock.systemUTC());
      Lease b = lease(b1, "b", LONG_TTL, Clock.systemUTC());
      get(a.acquire());
      Holder old = a.fence();
      own.restart();

      Boolean renewed = Await.value("a's renewal to be answered after the restart", WAIT,
          () -> answerOrNull(a.renew()));
      assertFalse(renewed, "the restarted Redis has no lease for a");
      assertFalse(a.holds());
      long termB = Await.value("b to acquire after the restart", WAIT,
          () -> {
            OptionalLong term = answerOrNull(b.acquire());
            return term != null && term.isPresent() ? term.getAsLong() : null;
          });
      assertEquals(1, termB, "the term counter was lost with the data");
      Appended late = get(new FencedLog(a1.data(), 100).append(key, old, 1, bytes("x")));
      assertFalse(late.accepted());
      assertEquals(b.fence(), late.current());
    }
  }

  private Lease lease(RedisEngine engine, String name, Duration ttl, Clock clock) {
    return new Lease(engine.commands(), key, token(name), ttl, ttl.dividedBy(4), clock);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String token(String name) {
    return name + ":" + UUID.randomUUID();
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

  /** The answer, or null while the connection is still down (rejected or timed out). */
  private static <T> T answerOrNull(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return null;
    } catch (Exception e) {
      throw new AssertionError("Redis call did not finish", e);
    }
  }
}
