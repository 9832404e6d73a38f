package io.tickrelay.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The {@code cluster} section of status: this node, the live nodes, who owns each upstream and
 * since when, and how Redis answers (where it is as host:port, never the URL).
 *
 * @param leaseRenewFailures renewals that failed or found the lease gone, since start
 */
public record ClusterStatus(
    String node, List<String> liveNodes, List<Upstream> upstreams, Redis redis,
    long leaseRenewFailures) {

  /**
   * @param owner the owning node's name, null when nobody owns it (or none seen yet)
   * @param since when the owner took the lease (Redis' clock for other nodes; may be null)
   * @param term the lease's term, the fencing token (0: no owner)
   * @param here this node owns it and holds its upstream
   */
  public record Upstream(String provider, String stream, String owner, Instant since, long term,
      boolean here) {}

  /** @param lastError the class of the last failure, never its message; null if none yet */
  public record Redis(String at, boolean up, String lastError, Instant lastErrorAt) {}
}
