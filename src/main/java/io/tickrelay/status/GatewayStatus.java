package io.tickrelay.status;

import io.tickrelay.distribution.ClientFigures;
import io.tickrelay.upstream.UpstreamStatus;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /api/v1/ws/status}.
 *
 * @param mode {@code simulator} when the embedded simulator is the upstream, else {@code alpaca}
 * @param modeReason why that mode runs (config/GatewayMode): {@code TICKRELAY_MODE}, or the names
 *     of the credential settings found (an empty-but-present variable shows as {@code (empty)}),
 *     never their values
 * @param cluster this node's view of the cluster (issue 14); null, and left out, for a single node
 */
public record GatewayStatus(
    Instant generatedAt,
    String mode,
    String modeReason,
    List<UpstreamView> upstreams,
    ConnectionLimits connectionLimits,
    ClientFigures clients,
    io.tickrelay.cluster.ClusterStatus cluster) {

  /**
   * How close the gateway is to the limits that turn connections away: Alpaca allows one stream
   * connection per key and endpoint (upstream-protocols.md §1.7), and the gateway caps clients.
   *
   * @param upstreamLimitReached the provider answered {@code 406}: someone else holds the slot
   */
  public record ConnectionLimits(
      int upstreamActive,
      int upstreamAllowedPerKey,
      boolean upstreamLimitReached,
      int clientsActive,
      int clientsAllowed,
      boolean clientLimitReached) {

    static ConnectionLimits of(List<UpstreamStatus> upstreams, ClientFigures clients) {
      int live = (int) upstreams.stream().filter(UpstreamStatus::live).count();
      boolean refused =
          upstreams.stream()
              .anyMatch(u -> !u.live() && u.lastError() != null && u.lastError().code() == 406);
      return new ConnectionLimits(
          live, 1, refused, clients.admitted(), clients.cap(), clients.admitted() >= clients.cap());
    }
  }
}
