package io.tickrelay.cluster;

import static io.tickrelay.cluster.LogReaderTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The numbering across an owner change, against a real redis-server: an old owner that stopped
 * renewing (paused) keeps writing while a new one takes over and writes; the log holds no
 * duplicate or out-of-order id, the new owner continued where the old one's last accepted append
 * ended without reading anything first, and every write the old one made after the takeover was
 * refused by Redis.
 */
class TakeoverSequenceTest {

  private static final Duration TTL = Duration.ofMillis(400);
  private static final int COUNT = 2; // each entry takes two numbers, as a batch of two events

  @Test
  void aPausedOwnersLateWritesAreRefusedAndTheNumbersNeitherRepeatNorGoBack() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RedisEngine nodeA = RedisEngine.connect(redis.url(), Duration.ofSeconds(2));
        RedisEngine nodeB = RedisEngine.connect(redis.url(), Duration.ofSeconds(2))) {
      UpstreamKey key = new UpstreamKey("alpaca", "acct-takeover", "/v2/iex");
      Lease a = new Lease(nodeA.commands(), key, "a:" + UUID.randomUUID(), TTL,
          TTL.dividedBy(4), Clock.systemUTC());
      Lease b = new Lease(nodeB.commands(), key, "b:" + UUID.randomUUID(), TTL,
          TTL.dividedBy(4), Clock.systemUTC());
      FencedLog logA = new FencedLog(nodeA.data(), 100_000);
      FencedLog logB = new FencedLog(nodeB.data(), 100_000);
      long termA = get(a.acquire()).getAsLong();

      // a writes on and on in pipelined bursts and never renews: to Redis it is a paused owner
      List<Appended> byA = new CopyOnWriteArrayList<>();
      AtomicBoolean bDone = new AtomicBoolean();
      Thread writerA = new Thread(() -> {
        for (int burst = 0; !bDone.get() && burst < 100_000; burst++) {
          List<CompletableFuture<Appended>> inFlight = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            inFlight.add(logA.append(key, a.fence(), COUNT, bytes("a")).toCompletableFuture());
          }
          inFlight.forEach(f -> byA.add(f.join()));
        }
      }, "writer-a");
      writerA.start();

      long termB = Await.value("b to take over once a's lease expired", Duration.ofSeconds(5),
          () -> {
            OptionalLong term = get(b.acquire());
            return term.isPresent() ? term.getAsLong() : null;
          });
      List<Appended> byB = new ArrayList<>();
      for (int i = 0; i < 100; i++) { // interleaved in time with a's refused writes
        byB.add(get(logB.append(key, b.fence(), COUNT, bytes("b"))));
      }
      bDone.set(true);
      writerA.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(writerA.isAlive());

      assertEquals(termA + 1, termB);
      assertTrue(byB.stream().allMatch(Appended::accepted), "the new owner is never refused");
      List<Appended> acceptedA = byA.stream().filter(Appended::accepted).toList();
      assertFalse(acceptedA.isEmpty(), "a wrote before it lost the lease");
      int firstRefused = indexOfFirstRefusal(byA);
      assertTrue(firstRefused > 0 && byA.subList(firstRefused, byA.size()).stream()
          .noneMatch(Appended::accepted), "once refused, a stays refused");
      List<Appended> refused = byA.subList(firstRefused, byA.size());
      assertTrue(refused.stream().allMatch(r -> r.current() == null
          || b.fence().equals(r.current())), "a refusal names the new owner or nobody");
      assertTrue(refused.stream().anyMatch(r -> b.fence().equals(r.current())),
          "a wrote on while b owned: " + refused.size() + " refusals");
      assertEquals(acceptedA.get(acceptedA.size() - 1).seq() + COUNT, byB.get(0).seq(),
          "b continued right after a's last accepted append");
      assertTrue(acceptedA.stream().allMatch(x -> x.epoch().equals(byB.get(0).epoch())),
          "an owner change keeps the epoch");

      // the log: ids strictly increasing by COUNT from 1, each accepted append once, by its writer
      List<StreamMessage<String, String>> log =
          get(nodeB.commands().xrange(key.logKey(), Range.unbounded()));
      Map<Long, String> written = new HashMap<>();
      acceptedA.forEach(x -> written.put(x.seq(), "a"));
      byB.forEach(x -> written.put(x.seq(), "b"));
      assertEquals(acceptedA.size() + byB.size(), written.size(), "no number given twice");
      assertEquals(written.size(), log.size(), "only accepted appends are in the log");
      long expected = 1;
      for (StreamMessage<String, String> entry : log) {
        assertEquals(expected + "-0", entry.getId());
        assertEquals(written.get(expected), entry.getBody().get("d"), "entry " + expected);
        expected += COUNT;
      }
    }
  }

  private static int indexOfFirstRefusal(List<Appended> results) {
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).accepted()) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
