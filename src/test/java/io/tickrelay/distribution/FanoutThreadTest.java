package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hand-off between upstream readers and the fan-out: never waits, batches what piled up. */
class FanoutThreadTest {

  private record Round(String stream, List<MarketEvent> events) {}

  private static MarketEvent trade(String symbol, long id) {
    return ClientHubTest.trade(symbol, id, 1.0);
  }

  @Test
  void whatPiledUpWhileBusyGoesOutAsOneBatchPerStreamInOrder() throws Exception {
    BlockingQueue<Round> rounds = new LinkedBlockingQueue<>();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FanoutThread fanout = new FanoutThread(Thread::new, 100, Duration.ZERO, (stream, events) -> {
      rounds.add(new Round(stream, events));
      busy.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      fanout.offer(Streams.STOCKS, List.of(trade("A", 1)));
      assertTrue(busy.await(10, TimeUnit.SECONDS), "first round started");
      // the reader does not wait for the busy fan-out: these return at once and pile up
      fanout.offer(Streams.STOCKS, List.of(trade("B", 2)));
      fanout.offer(Streams.crypto("us"), List.of(trade("BTC/USD", 3)));
      fanout.offer(Streams.STOCKS, List.of(trade("C", 4), trade("D", 5)));
      assertEquals(3, fanout.waiting());
      release.countDown();

      Round first = rounds.poll(10, TimeUnit.SECONDS);
      assertEquals(List.of("A"), symbols(first));
      Round second = rounds.poll(10, TimeUnit.SECONDS);
      Round third = rounds.poll(10, TimeUnit.SECONDS);
      // the two streams' rounds may come in either order
      Map<String, List<String>> next =
          Map.of(second.stream(), symbols(second), third.stream(), symbols(third));
      assertEquals(List.of("B", "C", "D"), next.get(Streams.STOCKS), "one batch, arrival order");
      assertEquals(List.of("BTC/USD"), next.get(Streams.crypto("us")));
    } finally {
      release.countDown();
      fanout.stop();
    }
  }

  @Test
  void aBatchWindowGathersFramesThatArriveWithinIt() throws Exception {
    BlockingQueue<Round> rounds = new LinkedBlockingQueue<>();
    FanoutThread fanout = new FanoutThread(
        Thread::new, 100, Duration.ofSeconds(2), (s, e) -> rounds.add(new Round(s, e)));
    try {
      for (int i = 0; i < 5; i++) {
        fanout.offer(Streams.STOCKS, List.of(trade("S" + i, i)));
      }
      Round round = rounds.poll(10, TimeUnit.SECONDS);
      assertEquals(List.of("S0", "S1", "S2", "S3", "S4"), symbols(round));
      assertTrue(rounds.isEmpty());
    } finally {
      fanout.stop();
    }
  }

  @Test
  void afterStopNothingIsPublished() throws Exception {
    BlockingQueue<Round> rounds = new LinkedBlockingQueue<>();
    FanoutThread fanout =
        new FanoutThread(Thread::new, 100, Duration.ZERO, (s, e) -> rounds.add(new Round(s, e)));
    fanout.stop();
    fanout.offer(Streams.STOCKS, List.of(trade("A", 1)));
    assertEquals(0, fanout.waiting(), "taken after stop");
    assertTrue(rounds.isEmpty());
  }

  @Test
  void eventsAnInterruptedReaderCouldNotHandOverAreCounted() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FanoutThread fanout = new FanoutThread(Thread::new, 1, Duration.ZERO, (s, e) -> {
      busy.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      fanout.offer(Streams.STOCKS, List.of(trade("A", 1)));
      assertTrue(busy.await(10, TimeUnit.SECONDS), "first round started");
      fanout.offer(Streams.STOCKS, List.of(trade("B", 2))); // fills the queue of one
      Thread.currentThread().interrupt(); // the reader is interrupted as it waits for room
      fanout.offer(Streams.STOCKS, List.of(trade("C", 3), trade("D", 4)));
      assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
      assertEquals(2, fanout.lostOnInterrupt());
    } finally {
      release.countDown();
      fanout.stop();
    }
  }

  private static List<String> symbols(Round round) {
    return round.events().stream().map(MarketEvent::symbol).collect(Collectors.toList());
  }
}
