package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.supervision.GatewayLoops;
import io.tickrelay.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An {@code Error} in the fan-out (review M12) used to end its loop, after which every upstream
 * reader parked for good in {@code put()} and liveness stayed UP. Now the loop's death is seen:
 * hand-offs are refused and counted, and the registry liveness reads names the dead loop.
 */
class FanoutSupervisionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static List<MarketEvent> trade(long id) {
    return List.of(ClientHubTest.trade("AAPL", id, 1.0));
  }

  @Test
  void anErrorInTheFanoutEndsNoReaderAndLivenessSeesIt() {
    AtomicBoolean fail = new AtomicBoolean(true);
    FanoutThread fanout = new FanoutThread(Thread::new, 2, Duration.ZERO, (stream, events) -> {
      if (fail.get()) {
        throw new StackOverflowError("injected");
      }
    });
    GatewayLoops loops = new GatewayLoops();
    loops.register(fanout.loop());
    try {
      assertTrue(loops.dead().isEmpty());
      fanout.offer(Streams.STOCKS, trade(1));
      Await.until("the fan-out loop reported dead", WAIT, () -> !loops.dead().isEmpty());
      assertEquals("tickrelay-fanout", loops.dead().get(0).name());
      assertTrue(loops.dead().get(0).failure().contains("StackOverflowError"), loops.dead().toString());

      // far more than the queue holds: a reader must never park for good
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        for (int i = 2; i < 50; i++) {
          fanout.offer(Streams.STOCKS, trade(i));
        }
      });
      Await.until("the reader's hand-offs returned", WAIT, reader::isDone);
      assertFalse(reader.isCompletedExceptionally());
      assertTrue(fanout.refused() >= 46, "refused hand-offs are counted: " + fanout.refused());
    } finally {
      fanout.stop();
    }
  }

  @Test
  void aRuntimeExceptionIsCountedAndTheLoopGoesOn() {
    AtomicBoolean fail = new AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
    FanoutThread fanout = new FanoutThread(Thread::new, 4, Duration.ZERO, (stream, events) -> {
      if (fail.getAndSet(false)) {
        throw new IllegalStateException("injected");
      }
      published.incrementAndGet();
    });
    try {
      fanout.offer(Streams.STOCKS, trade(1));
      Await.until("the first round failed", WAIT, () -> fanout.loop().health().errors() == 1);
      fanout.offer(Streams.STOCKS, trade(2));
      Await.until("the second round published", WAIT, () -> published.get() == 1);
      assertTrue(fanout.loop().health().alive());
      assertEquals(1, fanout.loop().health().errors());
    } finally {
      fanout.stop();
    }
  }
}
