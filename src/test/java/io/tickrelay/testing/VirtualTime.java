package io.tickrelay.testing;

import io.tickrelay.upstream.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock and a timer queue that move only when the test says so ({@link #advance}), so an hour of
 * a connection's timers (pings, pong deadlines, silence checks, backoff) runs in milliseconds; due
 * timers run on the caller's thread in time order. {@link #runAsync} (the blocking handshake) runs
 * on a real thread, so the connection still talks to a real socket.
 */
public final class VirtualTime extends Clock implements Tasks, AutoCloseable {

  private final ExecutorService blocking = Executors.newCachedThreadPool();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>(
      java.util.Comparator.comparing((Timer t) -> t.at).thenComparingLong(t -> t.order));
  private Instant now;
  private long order;

  public VirtualTime(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("virtual time is UTC");
  }

  /** Moves time forward by {@code step}, running every timer that falls due, in order. */
  public void advance(Duration step) {
    Instant until;
    synchronized (this) {
      until = now.plus(step);
    }
    while (true) {
      Timer due;
      synchronized (this) {
        Timer head = timers.peek();
        if (head == null || head.at.isAfter(until)) {
          now = until;
          return;
        }
        due = timers.poll();
        if (due.at.isAfter(now)) {
          now = due.at;
        }
        if (!due.period.isZero() && !due.cancelled) {
          due.at = due.at.plus(due.period);
          due.order = order++;
          timers.add(due);
        }
      }
      if (!due.cancelled) {
        due.task.run();
      }
    }
  }

  /** Timers waiting, cancelled ones excluded. */
  public synchronized int pendingTimers() {
    return (int) timers.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    Timer timer = new Timer(task, now.plus(delay), Duration.ZERO, order++);
    timers.add(timer);
    return timer;
  }

  @Override
  public synchronized ScheduledFuture<?> scheduleRepeating(Runnable task, Duration period) {
    Timer timer = new Timer(task, now.plus(period), period, order++);
    timers.add(timer);
    return timer;
  }

  @Override
  public void runAsync(Runnable task) {
    blocking.execute(task);
  }

  @Override
  public void close() {
    blocking.shutdownNow();
  }

  /** One timer; cancelling it only marks it, the queue skips it. */
  private final class Timer implements ScheduledFuture<Object> {
    final Runnable task;
    final Duration period;
    Instant at;
    long order;
    volatile boolean cancelled;

    Timer(Runnable task, Instant at, Duration period, long order) {
      this.task = task;
      this.at = at;
      this.period = period;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(instant(), at));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      synchronized (VirtualTime.this) {
        return cancelled || period.isZero() && !timers.contains(this);
      }
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
      throw new UnsupportedOperationException("virtual timers are not awaited");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("virtual timers are not awaited");
    }
  }
}
