package io.tickrelay.health;

import io.tickrelay.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Started once the application has been initialised (CDI {@link Startup} observed: configuration
 * parsed, client stream and upstream registry created). Connecting upstream is readiness's
 * concern, so a slow or absent provider never fails a start-up probe.
 */
@org.eclipse.microprofile.health.Startup
@ApplicationScoped
public class GatewayStartedCheck implements HealthCheck {

  @Inject GatewayConfig config;

  private volatile Instant startedAt;

  void started(@Observes Startup startup) {
    startedAt = Instant.now();
  }

  @Override
  public HealthCheckResponse call() {
    Instant at = startedAt;
    HealthCheckResponseBuilder response = HealthCheckResponse.named("gateway-started").status(at != null);
    if (at != null) {
      response
          .withData("startedAt", at.toString())
          .withData("mode", config.simulatorMode() ? "simulator" : "alpaca")
          .withData("modeReason", config.mode().reason())
          .withData("feeds", String.join(",", config.feeds()));
    }
    return response.build();
  }
}
