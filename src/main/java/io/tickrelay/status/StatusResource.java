package io.tickrelay.status;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.distribution.ClientFigures;
import io.tickrelay.distribution.ClientSessions;
import io.tickrelay.upstream.UpstreamConnections;
import io.tickrelay.upstream.UpstreamStatus;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/ws/status}: every upstream connection and the client side, never a secret. */
@Path("v1/ws/status")
@RequestScoped
public class StatusResource {

  @Inject UpstreamConnections upstreams;
  @Inject ClientSessions clients;
  @Inject GatewayConfig config;
  @Inject io.tickrelay.cluster.Cluster cluster;

  Clock clock = Clock.systemUTC();

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public GatewayStatus status() {
    Instant now = clock.instant();
    List<UpstreamStatus> statuses = upstreams.statuses();
    ClientFigures clientFigures = clients.figures();
    return new GatewayStatus(
        now,
        config.simulatorMode() ? "simulator" : "alpaca",
        config.mode().reason(),
        statuses.stream().map(s -> UpstreamView.of(s, now)).toList(),
        GatewayStatus.ConnectionLimits.of(statuses, clientFigures),
        clientFigures,
        cluster.status().orElse(null));
  }
}
