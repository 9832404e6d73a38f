package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;

/**
 * Something outside the upstream package that decides when this node may hold a stream's upstream
 * connection (the cluster's lease, issue 14). When no gate {@link #governs()}, {@link
 * UpstreamConnections} holds every stream's connections from start-up and passes client demand
 * straight to them, exactly as a single node always did; nothing below is called.
 */
public interface UpstreamGate {

  /** False: there is no gate (single node); read once, at start-up. */
  boolean governs();

  /**
   * From now on the stream connects only while the gate has it {@link GatedStream#open open}, and
   * holds the demand the gate gives it. Called once per stream at start-up; never blocks.
   */
  void govern(GatedStream stream);

  /** This node's clients' demand on a governed stream changed (instead of reaching its upstream). */
  void localDemand(DemandChanged change);
}
