package io.tickrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketDataRecovered;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The data plane end to end against a real redis-server: an owner appends encoded batches through
 * the fence, a reader on its own connection and thread follows; every payload type comes back
 * equal, a fast writer's 100k events arrive in order exactly once, a reader the cap overtook and a
 * Redis restart are reported as gaps (never a silent jump), and the reader leaves no thread.
 */
class LogReaderTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LogReader.Settings FAST_CHECKS = new LogReader.Settings(
      Duration.ofMillis(200), 1000, Duration.ofMillis(20), Duration.ofMillis(500));

  private static RedisServer redis;
  private RedisEngine engine;
  private UpstreamKey key;
  private final LogRecorder recorder = new LogRecorder();
  private final List<LogReader> readers = new ArrayList<>();

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
    engine = RedisEngine.connect(redis.url(), Duration.ofSeconds(2));
    key = new UpstreamKey("alpaca", "acct-" + test.getTestMethod().orElseThrow().getName(),
        "/v2/iex");
  }

  @AfterEach
  void disconnect() {
    readers.forEach(LogReader::close);
    assertFalse(recorder.anyThreadAlive(), "a reader's thread outlived close()");
    engine.close();
  }

  @Test
  void everyPayloadTypeComesBackEqualThroughRedis() throws Exception {
    Owner owner = Owner.of(engine, key, 1000);
    LogReader reader = read(engine, LogPosition.START, LogReader.Settings.DEFAULTS);
    List<Object> payloads = LogSamples.payloads();
    List<Appended> appended = new ArrayList<>();
    for (Object payload : payloads) {
      appended.add(get(owner.append(payload)));
    }

    Await.until("every payload read", WAIT, () -> recorder.entries().size() == payloads.size());
    assertEquals(List.of(), recorder.gaps());
    List<LogEntry> entries = recorder.entries();
    String epoch = appended.get(0).epoch();
    long expected = 1;
    for (int i = 0; i < payloads.size(); i++) {
      LogEntry entry = entries.get(i);
      assertEquals(payloads.get(i), entry.payload(), "payload " + i);
      assertEquals(expected, entry.seq(), "numbers continue entry to entry");
      assertEquals(appended.get(i).seq(), entry.seq());
      assertEquals(Owner.count(payloads.get(i)), entry.count());
      assertEquals(epoch, entry.epoch());
      expected = entry.last() + 1;
    }
    assertEquals(new LogPosition(epoch, expected - 1), reader.position());
  }

  /** Also the throughput figure: printed, not asserted (a shared 2-core machine). */
  @Test
  void aReaderFollowsAFastWriterInOrderExactlyOnce() throws Exception {
    int events = 100_000;
    int perBatch = 100;
    Owner owner = Owner.of(engine, key, 10_000);
    read(engine, LogPosition.START, LogReader.Settings.DEFAULTS);
    long started = System.nanoTime();
    List<CompletableFuture<Appended>> appends = new ArrayList<>();
    for (int batch = 0; batch < events / perBatch; batch++) { // pipelined, as an owner sends
      List<MarketEvent> trades = new ArrayList<>(perBatch);
      for (int i = 0; i < perBatch; i++) {
        long id = (long) batch * perBatch + i;
        trades.add(new Trade("AAPL", id, "V", 189.0 + i / 100.0, 100, Instant.ofEpochSecond(
            1_780_000_000L, id), List.of("@"), "C"));
      }
      appends.add(owner.append(new MarketDataReceived("stocks", "iex", trades))
          .toCompletableFuture());
    }
    CompletableFuture.allOf(appends.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    long written = System.nanoTime();
    Await.until("all " + events + " events read", Duration.ofSeconds(60),
        () -> recorder.covered() == events);
    long read = System.nanoTime();

    assertEquals(List.of(), recorder.gaps());
    long expectedId = 0;
    long expectedSeq = 1;
    for (LogEntry entry : recorder.entries()) {
      assertEquals(expectedSeq, entry.seq());
      expectedSeq = entry.last() + 1;
      for (MarketEvent event : ((MarketDataReceived) entry.payload()).events()) {
        assertEquals(expectedId++, ((Trade) event).id(), "in order, each once");
      }
    }
    assertEquals(events, expectedId);
    System.out.printf("log throughput: %d events in %d batches written in %d ms, read by %d ms"
        + " (%.0f events/s end to end)%n", events, events / perBatch,
        (written - started) / 1_000_000, (read - started) / 1_000_000,
        events / ((read - started) / 1e9));
  }

  @Test
  void aReaderTheCapOvertookIsToldTheExactGap() throws Exception {
    Owner owner = Owner.of(engine, key, 100);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LogListener slow = new LogListener() {
      @Override
      public void entry(LogEntry entry) {
        recorder.entry(entry);
        if (entry.seq() == 1) { // a node too busy to read on: the writer runs ahead
          stuck.countDown();
          try {
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void gap(LogGap gap) {
        recorder.gap(gap);
      }
    };
    get(owner.append(batch(0)));
    LogReader reader = LogReader.start(engine.connectReader(), key, LogPosition.START, slow,
        new LogReader.Settings(Duration.ofSeconds(1), 10, Duration.ofMillis(20),
            Duration.ofMillis(500)), recorder);
    readers.add(reader);
    assertTrue(stuck.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    for (int i = 1; i < 1000; i++) {
      owner.append(batch(i));
    }
    get(owner.append(batch(1000)));
    List<StreamMessage<String, String>> oldest =
        get(engine.commands().xrange(key.logKey(), Range.unbounded(),
            io.lettuce.core.Limit.from(1)));
    long oldestKept = Long.parseLong(oldest.get(0).getId().replace("-0", ""));
    assertTrue(oldestKept > 2, "the cap trimmed past the reader: oldest " + oldestKept);
    release.countDown();

    Await.until("every number delivered or reported", WAIT, () -> recorder.covered() == 1001);
    String epoch = recorder.entries().get(0).epoch();
    assertEquals(List.of(new LogGap(epoch, 2, oldestKept - 1, LogGap.Reason.TRIMMED)),
        recorder.gaps(), "one gap, from the reader's position to the oldest entry kept");
    assertContiguous(recorder.seen());
    assertEquals(new LogPosition(epoch, 1001), reader.position());
  }

  @Test
  void aRedisRestartIsReportedAndTheReaderGoesOnInTheNewEpoch() throws Exception {
    try (RedisServer own = RedisServer.start();
        RedisEngine node = RedisEngine.connect(own.url(), Duration.ofSeconds(2))) {
      Owner owner = Owner.of(node, key, 1000);
      read(node, LogPosition.START, FAST_CHECKS);
      String before = null;
      for (int i = 0; i < 5; i++) {
        before = get(owner.append(batch(i))).epoch();
      }
      Await.until("the first epoch's entries", WAIT, () -> recorder.entries().size() == 5);

      own.restart(); // no persistence: the log, its numbering and the lease are gone
      Owner again = Await.value("an owner again after the restart", WAIT,
          () -> Owner.tryOf(node, key, 1000));
      List<Appended> after = new ArrayList<>();
      for (int i = 5; i < 8; i++) {
        after.add(get(again.append(batch(i))));
      }
      Await.until("the new epoch's entries", WAIT, () -> recorder.entries().size() == 8);

      String newEpoch = after.get(0).epoch();
      assertNotEquals(before, newEpoch, "Redis lost the numbering: a new epoch");
      assertEquals(List.of(new LogGap(before, 6, LogGap.REST, LogGap.Reason.DATA_LOST)),
          recorder.gaps());
      List<Object> seen = recorder.seen();
      assertTrue(seen.get(5) instanceof LogGap, "the gap comes before the new epoch: " + seen);
      List<LogEntry> newer = recorder.entries().subList(5, 8);
      assertEquals(List.of(1L, 2L, 3L), newer.stream().map(LogEntry::seq).toList());
      assertTrue(newer.stream().allMatch(e -> e.epoch().equals(newEpoch)));
      assertEquals(batch(7), newer.get(2).payload());
    }
  }

  /**
   * Redis lost acknowledged appends but kept the epoch (a lagging replica promoted, the tail of an
   * append-only file): numbers 4 and 5 would be handed out again for other events. The reader
   * reports the rest of the epoch lost and never delivers a re-issued number; a writer that says
   * what it saw gets a new epoch.
   */
  @Test
  void aNumberingThatWentBackEndsTheEpochForReaderAndWriter() throws Exception {
    Owner owner = Owner.of(engine, key, 1000);
    read(engine, LogPosition.START, FAST_CHECKS);
    String epoch = null;
    for (int i = 0; i < 5; i++) {
      epoch = get(owner.append(batch(i))).epoch();
    }
    Await.until("five entries", WAIT, () -> recorder.entries().size() == 5);

    // as a promoted replica would be: the log and its numbering both end at 3 (XDEL would not
    // do: the stream remembers its last id, https://redis.io/docs/latest/commands/xdel/)
    List<StreamMessage<String, byte[]>> kept =
        get(engine.data().xrange(key.logKey(), Range.create("1-0", "3-0")));
    get(engine.data().del(key.logKey()));
    for (StreamMessage<String, byte[]> entry : kept) {
      get(engine.data().xadd(key.logKey(), new XAddArgs().id(entry.getId()), entry.getBody()));
    }
    get(engine.commands().hset(key.metaKey(), "s", "3"));
    String lostEpoch = epoch;
    Await.until("the loss reported", WAIT, () -> !recorder.gaps().isEmpty());
    Appended reissued = get(owner.append(batch(99))); // a writer that does not say what it saw
    assertEquals(4, reissued.seq());
    assertEquals(lostEpoch, reissued.epoch());
    Appended fresh = get(owner.log.append(key, owner.lease.fence(),
        new LogPosition(lostEpoch, 5), 1, EventCodec.encode(batch(100))));
    assertNotEquals(lostEpoch, fresh.epoch(), "the writer who saw 5 starts a new epoch");
    assertEquals(1, fresh.seq());

    Await.until("the new epoch's first entry", WAIT, () -> recorder.entries().size() == 6);
    assertEquals(List.of(new LogGap(lostEpoch, 6, LogGap.REST, LogGap.Reason.DATA_LOST)),
        recorder.gaps());
    LogEntry first = recorder.entries().get(5);
    assertEquals(new LogEntry(fresh.epoch(), 1, 1, batch(100)), first,
        "the re-issued number 4 was never delivered");
  }

  @Test
  void anEntryOfANewerFormatIsAGapNotAStop() throws Exception {
    Owner owner = Owner.of(engine, key, 1000);
    read(engine, LogPosition.START, LogReader.Settings.DEFAULTS);
    get(owner.append(batch(0)));
    byte[] newer = EventCodec.encode(batch(1));
    newer[0] = 2; // what a node of the next version might write during a rolling upgrade
    get(owner.log.append(key, owner.lease.fence(), 1, newer));
    get(owner.append(batch(2)));

    Await.until("three numbers", WAIT, () -> recorder.covered() == 3);
    String epoch = recorder.entries().get(0).epoch();
    assertEquals(List.of(new LogGap(epoch, 2, 2, LogGap.Reason.UNREADABLE)), recorder.gaps());
    assertEquals(List.of(batch(0), batch(2)),
        recorder.entries().stream().map(LogEntry::payload).toList());
    assertContiguous(recorder.seen());
  }

  @Test
  void aReaderFromLatestSkipsHistoryAndOneFromAPositionResumesThere() throws Exception {
    Owner owner = Owner.of(engine, key, 1000);
    Appended third = null;
    for (int i = 0; i < 3; i++) {
      third = get(owner.append(batch(i)));
    }
    LogReader latest = read(engine, LogPosition.LATEST, FAST_CHECKS);
    Await.until("the reader at the head", WAIT, () -> latest.position().seq() == 3);
    get(owner.append(batch(3)));
    Await.until("the new entry", WAIT, () -> recorder.entries().size() == 1);
    assertEquals(4, recorder.entries().get(0).seq(), "history before the start is not replayed");

    LogRecorder resumed = new LogRecorder();
    LogReader from = LogReader.start(engine.connectReader(), key,
        new LogPosition(third.epoch(), 1), resumed, FAST_CHECKS, resumed);
    readers.add(from);
    Await.until("entries after 1", WAIT, () -> resumed.entries().size() == 3);
    assertEquals(List.of(2L, 3L, 4L), resumed.entries().stream().map(LogEntry::seq).toList());
    from.close();
    assertFalse(resumed.anyThreadAlive());

    LogRecorder stale = new LogRecorder();
    LogReader old = LogReader.start(engine.connectReader(), key, new LogPosition("0ld0ep0c", 2),
        stale, FAST_CHECKS, stale);
    readers.add(old);
    Await.until("the stale epoch reported, then the log from 1", WAIT,
        () -> stale.entries().size() == 4);
    assertEquals(new LogGap("0ld0ep0c", 3, LogGap.REST, LogGap.Reason.DATA_LOST), stale.seen().get(0));
    old.close();
    assertFalse(stale.anyThreadAlive());
  }

  @Test
  void closeStopsAReaderThatWaitsForAnUnreachableRedis() throws Exception {
    try (RedisServer own = RedisServer.start();
        RedisEngine node = RedisEngine.connect(own.url(), Duration.ofSeconds(2))) {
      LogReader reader = read(node, LogPosition.START, FAST_CHECKS);
      own.kill();
      reader.close();
      assertFalse(recorder.anyThreadAlive());
      assertEquals(1, recorder.threadCount());
    }
  }

  private LogReader read(RedisEngine node, LogPosition from, LogReader.Settings settings) {
    LogReader reader = LogReader.start(node.connectReader(), key, from, recorder, settings,
        recorder);
    readers.add(reader);
    return reader;
  }

  /** Entries and gaps together cover the numbers from 1 in order, each number once. */
  static void assertContiguous(List<Object> seen) {
    long expected = 1;
    for (Object item : seen) {
      if (item instanceof LogEntry entry) {
        assertEquals(expected, entry.seq(), "at " + item);
        expected = entry.last() + 1;
      } else {
        LogGap gap = (LogGap) item;
        assertEquals(expected, gap.from(), "at " + item);
        expected = gap.to() + 1;
      }
    }
  }

  private static MarketDataReceived batch(int i) {
    return new MarketDataReceived("stocks", "iex", List.of(new Trade("AAPL", i, "V", 1.5, 1,
        Instant.ofEpochSecond(1_780_000_000L, i), List.of(), "C")));
  }

  static <T> T get(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("Redis call failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("Redis call did not finish", e);
    }
  }

  /** A node that holds the lease and appends encoded payloads through the fence. */
  static final class Owner {

    final Lease lease;
    final FencedLog log;
    final UpstreamKey key;

    private Owner(Lease lease, FencedLog log, UpstreamKey key) {
      this.lease = lease;
      this.log = log;
      this.key = key;
    }

    static Owner of(RedisEngine node, UpstreamKey key, long maxLength) {
      Owner owner = tryOf(node, key, maxLength);
      if (owner == null) {
        throw new AssertionError("the lease is taken");
      }
      return owner;
    }

    /** Null while the lease is held or Redis cannot be reached. */
    static Owner tryOf(RedisEngine node, UpstreamKey key, long maxLength) {
      Lease lease = new Lease(node.commands(), key, "owner:" + UUID.randomUUID(),
          Duration.ofSeconds(30), Duration.ofSeconds(5), Clock.systemUTC());
      try {
        if (lease.acquire().toCompletableFuture().get(5, TimeUnit.SECONDS).isEmpty()) {
          return null;
        }
      } catch (ExecutionException e) {
        return null;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return new Owner(lease, new FencedLog(node.data(), maxLength), key);
    }

    CompletionStage<Appended> append(Object payload) {
      return log.append(key, lease.fence(), count(payload), EventCodec.encode(payload));
    }

    /** One number per event (at least one per entry), as the gateway's x-seq counts. */
    static int count(Object payload) {
      List<MarketEvent> events = payload instanceof MarketDataReceived m ? m.events()
          : payload instanceof MarketDataRecovered r ? r.events() : List.of();
      return Math.max(1, events.size());
    }
  }
}
