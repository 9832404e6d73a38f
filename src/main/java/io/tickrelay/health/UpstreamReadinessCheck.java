package io.tickrelay.health;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.upstream.UpstreamConnections;
import io.tickrelay.upstream.UpstreamStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while every upstream connection of the streams that gate readiness ({@code
 * TICKRELAY_READINESS_STREAMS}, the stock stream by default) is authenticated and fresh: before
 * that clients get no data. Other streams' connections are listed in the data with their state
 * but do not take the whole gateway out of service (a wrong trading-stream key must not stop the
 * stock stream for everyone). Freshness is enforced by the connection itself (a ping unanswered within the pong
 * deadline, or a data silence past the window, closes it and it leaves CONNECTED), so CONNECTED
 * implies fresh; the data shows the ages behind that verdict.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadinessCheck implements HealthCheck {

  @Inject UpstreamConnections upstreams;
  @Inject GatewayConfig config;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("upstream").status(upstreams.live(config.readinessStreams()));
    response.withData("mode", config.simulatorMode() ? "simulator" : "live");
    response.withData("modeReason", config.mode().reason());
    if (config.alpacaKeyMissing()) {
      response.withData("configuration",
          "live mode without APCA_API_KEY_ID: no Alpaca upstream (set the key, or TICKRELAY_MODE=simulator)");
    }
    for (UpstreamStatus status : upstreams.statuses()) {
      response.withData(status.connection() + ".provider", status.provider());
      response.withData(status.connection() + ".stream", status.stream());
      response.withData(status.connection() + ".state", status.state().name());
      response.withData(status.connection() + ".feed", status.feed());
      if (status.feedReason() != null) {
        response.withData(status.connection() + ".feedReason", status.feedReason());
      }
      response.withData(status.connection() + ".since", status.since().toString());
      response.withData(status.connection() + ".reason", status.reason());
      response.withData(status.connection() + ".escalated", status.escalated());
      response.withData(status.connection() + ".reconnects", status.reconnects());
      if (status.lastMessageAt() != null) {
        response.withData(status.connection() + ".lastMessageAgeMillis",
            java.time.Duration.between(status.lastMessageAt(), java.time.Instant.now()).toMillis());
      }
      if (status.pingRoundTrip() != null) {
        response.withData(status.connection() + ".pingMillis", status.pingRoundTrip().toMillis());
      }
      if (status.lastError() != null) {
        response.withData(status.connection() + ".lastError",
            status.lastError().code() + " " + status.lastError().meaning());
      }
    }
    return response.build();
  }
}
