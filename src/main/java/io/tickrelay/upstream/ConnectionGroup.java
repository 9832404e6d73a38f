package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The upstream connections of one stream: the union of its clients' demand spread over as many
 * connections as the protocol's per-connection cap requires ({@link DemandSplit}), a lease on each
 * connection while it holds anything (the first one from start-up when kept warm), and each change
 * of demand passed to the connection it concerns. Creation and release go through an {@link
 * UpstreamRegistry}, so concurrent demand never produces a second connection for one slot.
 */
final class ConnectionGroup {

  private final UpstreamDefinition definition;
  private final UpstreamRegistry registry;
  private final DemandSplit split;
  private final List<UpstreamRegistry.Lease> demandLeases = new ArrayList<>();
  private final Map<UpstreamKey, Integer> slots = new ConcurrentHashMap<>();
  private UpstreamRegistry.Lease warm;

  /** {@code factory} makes the connection for a definition and a slot (0 = the first). */
  ConnectionGroup(UpstreamDefinition definition, BiFunction<UpstreamDefinition, Integer, UpstreamConnection> factory) {
    this.definition = definition;
    this.registry = new UpstreamRegistry(key -> factory.apply(definition, slots.get(key)));
    this.split = new DemandSplit(definition.protocol().maxSubscriptions());
  }

  String stream() {
    return definition.stream();
  }

  synchronized void start() {
    if (definition.keepWarm() && warm == null) {
      warm = registry.acquire(key(0));
    }
  }

  /** Client demand changed: each slot it touches gets its part; slots emptied let go, new ones open. */
  synchronized void demand(DemandChanged change) {
    for (DemandSplit.Delta delta : split.apply(change.added(), change.removed())) {
      int slot = delta.shard();
      while (demandLeases.size() <= slot) {
        demandLeases.add(null);
      }
      if (demandLeases.get(slot) == null && split.sizeOf(slot) > 0) {
        demandLeases.set(slot, registry.acquire(key(slot)));
      }
      registry.connection(key(slot)).ifPresent(connection ->
          connection.demand(new DemandChanged(change.stream(), delta.added(), delta.removed())));
      if (split.sizeOf(slot) == 0 && demandLeases.get(slot) != null) {
        demandLeases.get(slot).release();
        demandLeases.set(slot, null);
      }
    }
  }

  /** The demand the slot's connection holds, for tests and status. */
  synchronized Interest demandOf(int slot) {
    return split.demandOf(slot);
  }

  List<UpstreamStatus> statuses() {
    return registry.connections().stream().map(UpstreamConnection::status).toList();
  }

  List<UpstreamConnection> connections() {
    return registry.connections();
  }

  void stop() {
    registry.stopAll();
  }

  private UpstreamKey key(int slot) {
    UpstreamKey first = definition.key();
    UpstreamKey key = slot == 0 ? first
        : new UpstreamKey(first.provider(), first.keyId(), first.feedGroup() + "#" + (slot + 1));
    slots.putIfAbsent(key, slot);
    return key;
  }
}
