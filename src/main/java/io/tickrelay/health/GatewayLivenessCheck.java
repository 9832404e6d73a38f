package io.tickrelay.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the JVM has headroom; deliberately blind to providers, so an upstream outage never
 * makes an orchestrator restart the gateway.
 */
@Liveness
@ApplicationScoped
public class GatewayLivenessCheck implements HealthCheck {

  private static final double MAX_HEAP_USED = 0.95;

  @Override
  public HealthCheckResponse call() {
    Runtime runtime = Runtime.getRuntime();
    long used = runtime.totalMemory() - runtime.freeMemory();
    double fraction = (double) used / runtime.maxMemory();
    return HealthCheckResponse.named("gateway")
        .status(fraction < MAX_HEAP_USED)
        .withData("heapUsedBytes", used)
        .withData("heapMaxBytes", runtime.maxMemory())
        .build();
  }
}
