package io.tickrelay.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The cluster's configuration (MicroProfile Config; each key also as an environment variable,
 * {@code tickrelay.cluster.redis-url} as {@code TICKRELAY_CLUSTER_REDIS_URL}). Without a Redis URL
 * the gateway is a single node and nothing else here is read.
 */
@ApplicationScoped
public class ClusterSettings {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** {@code redis://}, {@code rediss://} or {@code redis-sentinel://}; may hold a password. */
  @Inject
  @ConfigProperty(name = "tickrelay.cluster.redis-url")
  Optional<String> redisUrl;

  @Inject
  @ConfigProperty(name = "tickrelay.cluster.node-id")
  Optional<String> nodeId;

  @Inject
  @ConfigProperty(name = "tickrelay.cluster.lease-ttl", defaultValue = "PT3S")
  Duration leaseTtl;

  @Inject
  @ConfigProperty(name = "tickrelay.cluster.lease-renew", defaultValue = "PT1S")
  Duration renewInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.cluster.poll-interval", defaultValue = "PT0.25S")
  Duration pollInterval;

  @Inject
  @ConfigProperty(name = "tickrelay.cluster.demand-ttl", defaultValue = "PT10S")
  Duration demandTtl;

  /** The Redis URL when clustering is on; empty (unset or blank) for a single node. */
  public Optional<String> redisUrl() {
    return redisUrl.map(String::trim).filter(url -> !url.isEmpty());
  }

  /** This node's name: the configured one, else {@code node-} and 8 random hex digits. */
  public String nodeId() {
    String id = nodeId.map(String::trim).filter(n -> !n.isEmpty()).orElseGet(ClusterSettings::generated);
    if (!NODE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "tickrelay.cluster.node-id: 1 to 64 of letters, digits, '.', '_' and '-'");
    }
    return id;
  }

  public ClusterTiming timing() {
    return new ClusterTiming(leaseTtl, renewInterval, pollInterval, demandTtl);
  }

  private static String generated() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return "node-" + HexFormat.of().formatHex(bytes);
  }
}
