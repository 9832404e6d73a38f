package io.tickrelay.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * The cluster's clocks (scaleout.md §0 "timings"). The owner renews its lease every {@code
 * renewInterval} and stops counting on it {@code leaseTtl - renewInterval} after the last renewal it
 * sent that succeeded, a full renew interval before Redis can hand the lease to another node;
 * standbys try to take it, and every node publishes and reads demand, every {@code pollInterval};
 * a node's demand outlives its last heartbeat by {@code demandTtl}.
 *
 * @param leaseTtl the lease's expiry in Redis (3 s)
 * @param renewInterval how often the owner renews, and each node's heartbeat (1 s)
 * @param pollInterval how often a standby tries to acquire and the owner reads demand (250 ms)
 * @param demandTtl how long a node's demand outlives its last heartbeat (10 s)
 */
public record ClusterTiming(
    Duration leaseTtl, Duration renewInterval, Duration pollInterval, Duration demandTtl) {

  public static final ClusterTiming DEFAULT = new ClusterTiming(
      Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(10));

  public ClusterTiming {
    Objects.requireNonNull(leaseTtl);
    Objects.requireNonNull(renewInterval);
    Objects.requireNonNull(pollInterval);
    Objects.requireNonNull(demandTtl);
    if (pollInterval.isNegative() || pollInterval.isZero()
        || renewInterval.compareTo(pollInterval) < 0) {
      throw new IllegalArgumentException("need 0 < poll interval <= renew interval");
    }
    // one renewal may fail or time out and the next still lands before the owner stops counting
    if (leaseTtl.compareTo(renewInterval.multipliedBy(2).plus(commandTimeout(renewInterval))) < 0) {
      throw new IllegalArgumentException("the lease TTL must be at least twice the renew interval"
          + " plus a command timeout (" + commandTimeout(renewInterval).toMillis() + " ms)");
    }
    if (demandTtl.compareTo(renewInterval.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException("the demand TTL must cover at least three heartbeats");
    }
  }

  /** How much earlier than Redis the owner gives its lease up: one renew interval. */
  public Duration margin() {
    return renewInterval;
  }

  /** A command's timeout: 40% of the renew interval, so a stuck renewal ends before the next. */
  public Duration commandTimeout() {
    return commandTimeout(renewInterval);
  }

  /**
   * The longest a crashed owner's upstream stays unowned: its lease expires (at most {@code
   * leaseTtl} after its last renewal reached Redis) and a standby's next try comes within a poll;
   * connecting upstream comes on top.
   */
  public Duration takeoverBound() {
    return leaseTtl.plus(pollInterval);
  }

  /** The longest a demand change takes to reach the owner: the node's poll, then the owner's. */
  public Duration demandChangeBound() {
    return pollInterval.multipliedBy(2);
  }

  /**
   * The longest a dead node's demand stays in the owner's union: the last heartbeat's expiry plus
   * the owner's next read.
   */
  public Duration deadDemandBound() {
    return demandTtl.plus(renewInterval).plus(pollInterval);
  }

  private static Duration commandTimeout(Duration renewInterval) {
    return renewInterval.multipliedBy(2).dividedBy(5);
  }
}
