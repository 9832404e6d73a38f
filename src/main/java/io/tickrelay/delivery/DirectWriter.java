package io.tickrelay.delivery;

import io.tickrelay.supervision.LoopHealth;
import io.tickrelay.supervision.LoopRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Writes clients' frames with blocking sends from one thread of its own, taking the outboxes that
 * have something waiting in turn. An asynchronous send in the container costs two thread hand-offs
 * per frame (Open Liberty queues every one to its selector, which hands it to a worker); a
 * blocking write on a socket with room in its buffer returns at once on the calling thread, at
 * about half the CPU per frame (docs/BENCHMARKS.md, fourth run).
 *
 * <p>A write blocks only when a client stopped reading and its socket buffer filled. A watchdog
 * notices a write that has taken longer than {@code blockAfter}, moves that client to asynchronous
 * sends for good (where the slow-client policy then cuts it off) and hands the queue to a fresh
 * thread, so the other clients wait at most about {@code blockAfter}. The blocked thread ends when
 * its write returns or fails. After {@code maxBlocked} such threads at once, every client goes
 * asynchronous: a flood of stuck clients then costs CPU, never threads.
 */
public final class DirectWriter {

  private static final Logger LOG = Logger.getLogger(DirectWriter.class.getName());

  /**
   * @param blockAfter how long one blocking write may take before its client goes asynchronous
   * @param maxBlocked threads a blocked write may hold at once before every client goes
   *     asynchronous
   */
  public record Settings(Duration blockAfter, int maxBlocked) {}

  private final ThreadFactory threads;
  private final LongSupplier nanoTime;
  private final long blockAfterNanos;
  private final int maxBlocked;
  private final ArrayDeque<ClientOutbox> queue = new ArrayDeque<>(); // guarded by this
  private final List<Worker> stuck = new ArrayList<>(); // replaced while blocked; guarded by this
  private final long periodNanos;
  private Worker active; // guarded by this
  private int blocked; // guarded by this
  private long blockedSinceStart; // guarded by this
  private int started; // guarded by this
  private boolean stopped; // guarded by this
  private volatile boolean disabled;
  private final LoopRunner watchdog;
  private volatile LoopHealth deadWorker;

  /**
   * Starts the writer thread and its watchdog, a thread of its own too: a shared scheduler can be
   * busy closing the very session whose write blocked.
   */
  public DirectWriter(Settings settings, ThreadFactory threads, LongSupplier nanoTime) {
    this.threads = threads;
    this.nanoTime = nanoTime;
    this.blockAfterNanos = settings.blockAfter().toNanos();
    this.maxBlocked = settings.maxBlocked();
    this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), blockAfterNanos / 4);
    synchronized (this) {
      active = startWorker();
    }
    watchdog = new LoopRunner("tickrelay-writer-watchdog", new Watch(), this::isStopped, this::died);
    watchdog.start(threads);
  }

  /** The writer's loops for liveness: the active writer, the watchdog, a writer that died. */
  public List<LoopHealth> loops() {
    List<LoopHealth> loops = new ArrayList<>();
    synchronized (this) {
      loops.add(active.loop.health());
    }
    loops.add(watchdog.health());
    LoopHealth dead = deadWorker;
    if (dead != null) {
      loops.add(dead);
    }
    return loops;
  }

  /**
   * A writer or the watchdog died of an {@code Error}: nothing may depend on them any more, so
   * every client goes asynchronous, those waiting for the writer included.
   */
  private void died() {
    disabled = true;
    List<ClientOutbox> waiting;
    synchronized (this) {
      waiting = new ArrayList<>(queue);
      queue.clear();
      if (active != null && active.thread == Thread.currentThread()) {
        deadWorker = active.loop.health();
        if (active.current != null) {
          waiting.add(active.current);
        }
      }
    }
    waiting.forEach(ClientOutbox::demote);
  }

  /** True once too many writes blocked at once: outboxes then send asynchronously. */
  boolean disabled() {
    return disabled;
  }

  /** An outbox has something to write (it schedules itself once until the writer is done). */
  void schedule(ClientOutbox outbox) {
    synchronized (this) {
      queue.addLast(outbox);
      if (queue.size() == 1) {
        notifyAll();
      }
    }
  }

  /** Threads held by a blocked write right now, for status and tests. */
  public synchronized int blockedWrites() {
    return blocked;
  }

  /** Clients moved to asynchronous sends by a blocked write, since start. */
  public synchronized long writesBlocked() {
    return blockedSinceStart;
  }

  public void stop() {
    synchronized (this) {
      stopped = true;
      queue.clear();
      notifyAll();
    }
  }

  /** The watchdog: replaces a writer stuck in one write longer than {@code blockAfter}. */
  void check() {
    Worker worker;
    synchronized (this) {
      worker = active;
    }
    ClientOutbox blockedOutbox = worker.current;
    long since = worker.since;
    if (blockedOutbox == null
        || nanoTime.getAsLong() - since < blockAfterNanos
        || worker.current != blockedOutbox) {
      return;
    }
    int nowBlocked;
    synchronized (this) {
      if (active != worker || stopped) {
        return;
      }
      nowBlocked = ++blocked;
      blockedSinceStart++;
      stuck.add(worker);
      if (nowBlocked > maxBlocked && !disabled) {
        disabled = true;
        LOG.warning(
            nowBlocked + " client writes blocked at once: every client sends asynchronously from now on");
      }
      active = startWorker();
      notifyAll();
    }
    blockedOutbox.demote();
    LOG.info(
        () -> "client " + blockedOutbox.id() + ": a write blocked for more than "
            + Duration.ofNanos(blockAfterNanos) + " (it reads too slowly and its socket buffer"
            + " filled): its frames go asynchronously from now on");
  }

  /** The watchdog's duty cycle: a periodic check, not waiting for an outcome. */
  private final class Watch implements io.tickrelay.supervision.DutyCycle {
    private long lastTick = nanoTime.getAsLong();

    @Override
    public void doWork() {
      LockSupport.parkNanos(DirectWriter.this, periodNanos);
      long now = nanoTime.getAsLong();
      boolean late = now - lastTick > 2 * periodNanos;
      lastTick = now;
      if (late) {
        return; // the whole JVM stood still (a GC pause, say), not just one write
      }
      check();
      nudgeAbandoned();
    }
  }

  /**
   * A blocked write whose client has gone: Liberty's blocking write waits in its TCP channel for
   * the socket to drain and is not woken when the peer disconnects (a thread dump of the fourth
   * run). An interrupt ends that wait, and the write it retries then fails on the closed socket.
   */
  private void nudgeAbandoned() {
    List<Worker> blockedNow;
    synchronized (this) {
      if (stuck.isEmpty()) {
        return;
      }
      blockedNow = List.copyOf(stuck);
    }
    for (Worker worker : blockedNow) {
      ClientOutbox outbox = worker.current;
      if (outbox != null && !outbox.open()) {
        worker.thread.interrupt();
      }
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  /** Under the lock. */
  private Worker startWorker() {
    Worker worker = new Worker("tickrelay-writer-" + ++started);
    worker.thread = worker.loop.start(threads);
    return worker;
  }

  /** One writer thread's loop; it ends when it is no longer the active one. */
  private final class Worker {
    final LoopRunner loop;
    Thread thread;
    volatile ClientOutbox current;
    volatile long since;
    private volatile boolean done;

    Worker(String name) {
      loop = new LoopRunner(name, this::round, () -> done, DirectWriter.this::died);
    }

    void round() throws InterruptedException {
      ClientOutbox next;
      synchronized (DirectWriter.this) {
        while (active == this && queue.isEmpty() && !stopped) {
          DirectWriter.this.wait();
        }
        if (active != this || stopped) {
          done = true;
          return;
        }
        next = queue.pollFirst();
      }
      boolean more = write(next);
      synchronized (DirectWriter.this) {
        if (active != this) {
          blocked--; // replaced while this write blocked; the new writer has the queue
          stuck.remove(this);
          Thread.interrupted(); // a nudge that came too late is not for the next owner
          if (more) {
            queue.addLast(next);
            DirectWriter.this.notifyAll();
          }
          done = true;
          return;
        }
        if (more) {
          queue.addLast(next); // to the back: every waiting client gets a turn
        }
      }
    }

    private boolean write(ClientOutbox outbox) {
      since = nanoTime.getAsLong();
      current = outbox;
      try {
        return outbox.flush();
      } catch (RuntimeException e) { // a task boundary: one client must not stop the writer
        LOG.log(java.util.logging.Level.WARNING, "client " + outbox.id() + ": write failed", e);
        return false;
      } finally {
        current = null;
      }
    }
  }
}
