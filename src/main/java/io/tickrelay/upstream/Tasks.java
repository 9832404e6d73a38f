package io.tickrelay.upstream;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Where a connection runs its timers and its blocking handshakes: in the server, a managed
 * scheduler and a Jakarta Concurrency {@code @Asynchronous} method called through its CDI proxy
 * ({@link ManagedTasks}); in tests, plain executors.
 */
public interface Tasks {

  ScheduledFuture<?> schedule(Runnable task, Duration delay);

  ScheduledFuture<?> scheduleRepeating(Runnable task, Duration period);

  /** Runs a task that may block (a WebSocket handshake) off the caller's thread. */
  void runAsync(Runnable task);
}
