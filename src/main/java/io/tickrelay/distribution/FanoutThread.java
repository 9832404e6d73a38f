package io.tickrelay.distribution;

import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.supervision.LoopRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The one thread that fans upstream events out to clients, so an upstream read thread only hands
 * a frame over and goes back to reading (and answering pings): a slow fan-out can then never look
 * like a stalled upstream (docs/BENCHMARKS.md, the pong-timeout gaps). Whatever piled up while it
 * was busy is taken in one go and published per stream as one batch, so under load each client
 * gets fewer, fuller frames instead of falling further behind (smart batching, as in the LMAX
 * Disruptor's batch consumer). An optional batch window makes each round also wait that long for
 * more, trading that much latency for fewer frames and sends when the load is steady (Centrifugo's
 * {@code write_delay}, fanout-anchors.md §A.1); zero, the default, never waits.
 */
final class FanoutThread {

  private static final Logger LOG = Logger.getLogger(FanoutThread.class.getName());
  /** Upstream frames taken per round; bounds the batch, not the throughput. */
  private static final int MAX_DRAIN = 512;

  /** Events of a stream, or a task (a gap marker) that must run after the events before it. */
  private record Handoff(String stream, List<MarketEvent> events, Runnable task) {}

  private static final Handoff STOP = new Handoff("", List.of(), null);

  private final BlockingQueue<Handoff> queue;
  private final BiConsumer<String, List<MarketEvent>> publish;
  private final long windowNanos;
  private final LoopRunner loop;
  private final Thread thread;
  private final List<Handoff> taken = new ArrayList<>(MAX_DRAIN); // the loop's thread only
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean stopped;
  /** Events lost because the thread handing them over was interrupted while the queue was full. */
  private final AtomicLong lostOnInterrupt = new AtomicLong();
  private volatile boolean dead;

  /**
   * @param capacity upstream frames that may wait; beyond it the upstream thread waits too, which
   *     is the back-pressure TCP would apply anyway
   * @param window how long a round waits for more after its first frame; zero never waits
   */
  FanoutThread(
      ThreadFactory threads,
      int capacity,
      Duration window,
      BiConsumer<String, List<MarketEvent>> publish) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.publish = publish;
    this.windowNanos = window.toNanos();
    this.loop = new LoopRunner("tickrelay-fanout", this::round, () -> stopped, this::died);
    this.thread = loop.start(threads);
  }

  /** The supervised loop, for liveness. */
  LoopRunner loop() {
    return loop;
  }

  /** Hand-offs refused because the loop had died (they are lost; liveness is DOWN meanwhile). */
  long refused() {
    return refused.get();
  }

  /** Hands events over; waits only while the queue is full. */
  void offer(String stream, List<MarketEvent> events) {
    if (stopped || events.isEmpty()) {
      return;
    }
    try {
      handOver(new Handoff(stream, events, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      long lost = lostOnInterrupt.addAndGet(events.size());
      LOG.warning(() -> stream + ": hand-off to the fan-out interrupted while its queue was full: "
          + events.size() + " events lost (" + lost + " since start)");
    }
  }

  /**
   * Runs {@code task} on the fan-out thread after every event handed over before it, so a gap
   * marker lands in the stream exactly where the upstream's data stopped.
   */
  void offer(String stream, Runnable task) {
    if (stopped) {
      return;
    }
    try {
      handOver(new Handoff(stream, List.of(), task));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warning(() -> stream + ": hand-off of a task (a gap marker or backfill) to the fan-out"
          + " interrupted while its queue was full; it is lost");
    }
  }

  /** Events lost because an interrupted upstream thread could not hand them over. */
  long lostOnInterrupt() {
    return lostOnInterrupt.get();
  }

  /**
   * Waits while the queue is full, but never for a loop that died: a reader parked here for good
   * would stop answering its upstream's pings too.
   */
  private void handOver(Handoff handoff) throws InterruptedException {
    while (!dead) {
      if (queue.offer(handoff, 100, TimeUnit.MILLISECONDS)) {
        return;
      }
      if (stopped) {
        return;
      }
    }
    refused.incrementAndGet();
  }

  /** On the loop's thread after an Error ended it: nothing will take from the queue again. */
  private void died() {
    dead = true;
    queue.clear();
  }

  /** Events handed over and not yet fanned out. */
  int waiting() {
    return queue.size();
  }

  void stop() {
    stopped = true;
    queue.clear();
    queue.offer(STOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.clear(); // the sentinel, if the thread saw the flag first
  }

  /** One duty cycle: take what waits, fan it out (failures are the runner's, LoopRunner). */
  private void round() throws InterruptedException {
    try {
      taken.add(queue.take());
      if (windowNanos > 0) {
        collectFor(taken, System.nanoTime() + windowNanos);
      }
      queue.drainTo(taken, MAX_DRAIN - taken.size());
      publishAll(taken);
    } finally {
      taken.clear();
    }
  }

  /** Waits until the window closes (or the round is full), taking what arrives meanwhile. */
  private void collectFor(List<Handoff> taken, long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    while (left > 0 && taken.size() < MAX_DRAIN && taken.get(taken.size() - 1) != STOP) {
      Handoff next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next != null) {
        taken.add(next);
      }
      left = deadline - System.nanoTime();
    }
  }

  private void publishAll(List<Handoff> taken) {
    if (taken.size() == 1) {
      Handoff only = taken.get(0);
      if (only.task() != null) {
        only.task().run();
      } else if (only != STOP) {
        publish.accept(only.stream(), only.events());
      }
      return;
    }
    Map<String, List<MarketEvent>> byStream = new LinkedHashMap<>();
    for (Handoff handoff : taken) {
      if (handoff.task() != null) { // what came before it goes first
        byStream.forEach(publish);
        byStream.clear();
        handoff.task().run();
      } else if (handoff != STOP) {
        byStream.computeIfAbsent(handoff.stream(), s -> new ArrayList<>()).addAll(handoff.events());
      }
    }
    byStream.forEach(publish);
  }
}
