package io.tickrelay.health;

import io.tickrelay.supervision.GatewayLoops;
import io.tickrelay.supervision.LoopHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the JVM has headroom and every one of the gateway's own loops (fan-out, writer,
 * watchdog) still runs; deliberately blind to providers, so an upstream outage never makes an
 * orchestrator restart the gateway, while a loop killed by an {@code Error} does.
 */
@Liveness
@ApplicationScoped
public class GatewayLivenessCheck implements HealthCheck {

  private static final double MAX_HEAP_USED = 0.95;

  @Inject GatewayLoops loops;

  @Override
  public HealthCheckResponse call() {
    Runtime runtime = Runtime.getRuntime();
    long used = runtime.totalMemory() - runtime.freeMemory();
    double fraction = (double) used / runtime.maxMemory();
    List<LoopHealth> all = loops.all();
    List<LoopHealth> dead = all.stream().filter(l -> !l.alive()).toList();
    HealthCheckResponseBuilder response = HealthCheckResponse.named("gateway")
        .status(fraction < MAX_HEAP_USED && dead.isEmpty())
        .withData("heapUsedBytes", used)
        .withData("heapMaxBytes", runtime.maxMemory())
        .withData("loops", all.size());
    for (LoopHealth loop : all) {
      if (loop.errors() > 0 || !loop.alive()) {
        response.withData(loop.name() + ".errors", loop.errors());
      }
    }
    for (LoopHealth loop : dead) {
      response.withData(loop.name() + ".died", loop.failure());
    }
    return response.build();
  }
}
