package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import java.util.List;
import java.util.function.Function;

/**
 * The upstream connections of one stream: the union of its clients' demand, a lease on the
 * connection while anything is wanted (or from start-up when kept warm), and every change of demand
 * passed to it. Creation and release go through an {@link UpstreamRegistry}, so concurrent demand
 * never produces a second connection for one account and stream.
 */
final class ConnectionGroup {

  private final UpstreamDefinition definition;
  private final UpstreamRegistry registry;
  private UpstreamRegistry.Lease warm;
  private UpstreamRegistry.Lease demandLease;
  private Interest union = Interest.none();

  ConnectionGroup(UpstreamDefinition definition, Function<UpstreamDefinition, UpstreamConnection> factory) {
    this.definition = definition;
    this.registry = new UpstreamRegistry(key -> factory.apply(definition));
  }

  String stream() {
    return definition.stream();
  }

  synchronized void start() {
    if (definition.keepWarm() && warm == null) {
      warm = registry.acquire(definition.key());
    }
  }

  /** Client demand changed: hold a lease while anything is wanted and pass the change on. */
  synchronized void demand(DemandChanged change) {
    boolean wasEmpty = union.isEmpty();
    union = union.plus(change.added()).minus(change.removed());
    if (wasEmpty && !union.isEmpty()) {
      demandLease = registry.acquire(definition.key());
    }
    registry.connection(definition.key()).ifPresent(connection -> connection.demand(change));
    if (!wasEmpty && union.isEmpty() && demandLease != null) {
      demandLease.release();
      demandLease = null;
    }
  }

  List<UpstreamStatus> statuses() {
    return registry.connections().stream().map(UpstreamConnection::status).toList();
  }

  void stop() {
    registry.stopAll();
  }
}
