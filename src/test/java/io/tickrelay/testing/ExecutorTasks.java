package io.tickrelay.testing;

import io.tickrelay.upstream.Tasks;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link Tasks} on plain executors, for running an upstream connection outside a container. */
public final class ExecutorTasks implements Tasks, AutoCloseable {

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);
  private final java.util.concurrent.ExecutorService blocking = Executors.newCachedThreadPool();

  public ExecutorTasks() {
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> scheduleRepeating(Runnable task, Duration period) {
    return scheduler.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void runAsync(Runnable task) {
    blocking.execute(task);
  }

  /** Timers still waiting to fire (cancelled ones are removed at once). */
  public int pendingTimers() {
    return scheduler.getQueue().size();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    blocking.shutdownNow();
  }
}
