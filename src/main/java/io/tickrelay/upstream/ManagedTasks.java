package io.tickrelay.upstream;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.Asynchronous;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Container-managed threads for the upstream side. {@link #connectAsync} is a Jakarta Concurrency
 * {@code @Asynchronous} method: callers must hold the CDI proxy (never {@code this}) for it to run
 * on a managed thread.
 */
@ApplicationScoped
public class ManagedTasks {

  private static final Logger LOG = Logger.getLogger(ManagedTasks.class.getName());

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  /** A timer task whose failure is logged: a scheduled future's exception is otherwise never seen. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) { // task boundary: keep the timer (and the loop it drives) alive
        LOG.log(Level.WARNING, "upstream timer task failed", e);
      }
    };
  }

  /** Runs a blocking step (a handshake) on a managed thread; failures are logged, never lost. */
  @Asynchronous
  public CompletableFuture<Void> connectAsync(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) { // task boundary: keep the reconnect loop alive
      LOG.log(Level.WARNING, "upstream connect step failed", e);
    }
    return Asynchronous.Result.complete(null);
  }

  @Resource(lookup = "java:comp/DefaultContextService")
  ContextService contextService;

  /**
   * The {@link Tasks} view a connection uses; {@code self} must be this bean's CDI proxy. Call it
   * on an application thread: timers are often scheduled from WebSocket callbacks on the
   * transport's own threads, which carry no application context, so every task runs inside the
   * context captured here (otherwise the {@code @Asynchronous} call fails silently in the timer).
   */
  Tasks tasksVia(ManagedTasks self) {
    Executor appContext = contextService.currentContextExecutor();
    return new Tasks() {
      @Override
      public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return scheduler.schedule(
            () -> appContext.execute(guarded(task)), delay.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public ScheduledFuture<?> scheduleRepeating(Runnable task, Duration period) {
        return scheduler.scheduleAtFixedRate(
            () -> appContext.execute(guarded(task)), period.toMillis(), period.toMillis(),
            TimeUnit.MILLISECONDS);
      }

      @Override
      public void runAsync(Runnable task) {
        self.connectAsync(task);
      }
    };
  }
}
