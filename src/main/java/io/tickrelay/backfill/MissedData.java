package io.tickrelay.backfill;

import io.tickrelay.config.GatewayConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The port to call after an outage: {@link #fetch} returns at once and completes, on a managed
 * thread, with what the provider's history holds for the window. Safe to call from any thread,
 * WebSocket callbacks included: the application context is captured at start-up, as {@code
 * upstream.ManagedTasks} does for its timers.
 */
@ApplicationScoped
public class MissedData {

  @Inject Instance<HistorySource> sources;
  @Inject GatewayConfig config;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  @Resource(lookup = "java:comp/DefaultContextService")
  ContextService contextService;

  private volatile Backfill backfill;

  void start(@Observes Startup startup) {
    backfill();
  }

  /**
   * The events missed in {@code window}, in time order, with an outcome per channel asked for.
   * Never completes exceptionally; a channel the provider cannot replay is {@code UNSUPPORTED}.
   */
  public CompletableFuture<Recovered> fetch(MissedWindow window) {
    if (!config.backfillEnabled()) {
      return CompletableFuture.completedFuture(Backfill.disabled(window));
    }
    return backfill().fetch(window);
  }

  private Backfill backfill() {
    Backfill current = backfill;
    if (current == null) {
      synchronized (this) {
        if (backfill == null) {
          Executor appContext = contextService.currentContextExecutor();
          Executor managed = task -> executor.execute(() -> appContext.execute(task));
          List<HistorySource> found = new ArrayList<>();
          sources.forEach(found::add);
          backfill = new Backfill(found, managed, Clock.systemUTC(), limits());
        }
        current = backfill;
      }
    }
    return current;
  }

  private BackfillLimits limits() {
    return new BackfillLimits(config.backfillDeadline(), config.backfillMaxPages(),
        config.backfillMaxEvents(), config.backfillRequestTimeout(), config.backfillRetries(),
        BackfillLimits.defaults().backoff());
  }
}
