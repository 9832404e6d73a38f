package io.tickrelay.cluster;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.metrics.Metrics;
import io.tickrelay.upstream.GatedStream;
import io.tickrelay.upstream.UpstreamGate;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The cluster in the gateway: governs every upstream when {@code TICKRELAY_CLUSTER_REDIS_URL} is
 * set, and does nothing at all otherwise (no Redis client, no thread, no series). Polls on the
 * container's managed scheduler; Lettuce runs its own Netty event loops, stopped on undeploy.
 */
@ApplicationScoped
public class Cluster implements UpstreamGate {

  private static final Logger LOG = Logger.getLogger(Cluster.class.getName());

  @Inject ClusterSettings settings;
  @Inject Metrics metrics;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private ClusterNode node; // guarded by this; null for a single node

  @Override
  public boolean governs() {
    return settings.redisUrl().isPresent();
  }

  @Override
  public void govern(GatedStream stream) {
    ClusterNode current = node();
    if (current != null) {
      current.govern(stream);
      String name = stream.stream();
      metrics.gauge("tickrelay_cluster_owner",
          "1 while this node owns the stream's upstream (holds its lease), else 0",
          () -> current.owns(name) ? 1 : 0, "stream", name,
          "provider", stream.definition().protocol().provider());
    }
  }

  @Override
  public void localDemand(DemandChanged change) {
    ClusterNode current = node();
    if (current != null) {
      current.localDemand(change);
    }
  }

  /** This node's view of the cluster; empty for a single node. */
  public Optional<ClusterStatus> status() {
    ClusterNode current;
    synchronized (this) {
      current = node;
    }
    return Optional.ofNullable(current).map(ClusterNode::status);
  }

  /** The node, created and started on first use when clustering is on. */
  private synchronized ClusterNode node() {
    if (node == null && governs()) {
      String url = settings.redisUrl().orElseThrow();
      String at = RedisEngine.describe(url);
      ClusterTiming timing = settings.timing();
      node = new ClusterNode(settings.nodeId(), at,
          () -> RedisEngine.connect(url, timing.commandTimeout()), timing, scheduler,
          Clock.systemUTC());
      LOG.info(() -> "cluster node " + node.node() + " on Redis at " + at + " (lease "
          + timing.leaseTtl() + ", renew " + timing.renewInterval() + ")");
      ClusterNode started = node;
      metrics.gauge("tickrelay_cluster_redis_up", "1 while this node's last Redis command succeeded",
          () -> started.redisUp() ? 1 : 0);
      metrics.gauge("tickrelay_cluster_lease_renew_failures",
          "Lease renewals that failed or found the lease gone, since start",
          started::renewFailures);
      metrics.gauge("tickrelay_cluster_live_nodes", "Nodes whose heartbeat has not expired",
          () -> started.status().liveNodes().size());
      node.start();
    }
    return node;
  }

  @PreDestroy
  void stop() {
    ClusterNode stopping;
    synchronized (this) {
      stopping = node;
      node = null;
    }
    if (stopping != null) {
      stopping.stop();
    }
  }
}
