package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The upstream connections of one stream: the union of its clients' demand spread over as many
 * connections as the protocol's per-connection cap requires ({@link DemandSplit}), a lease on each
 * connection while it holds anything (the first one from start-up when kept warm), each change of
 * demand passed to the connection it concerns, and planned rotation at the protocol's maximum
 * session age, make-before-break: the replacement connects, authenticates and is subscribed to the
 * same demand before the old one is closed, and the {@link OverlapFilter} forwards events seen on
 * both once. The old session stays open for {@link #DRAIN} after the swap: frames it had already
 * received when the replacement's subscription was confirmed (events published before the
 * replacement subscribed, which only the old session will ever get) are still read and forwarded,
 * instead of being cut off with the socket (seen: PlannedRotationTest lost trades at the swap). A
 * connection fallen back to another feed is moved back the same way: a probe of the preferred feed
 * comes up beside it and takes over once subscribed; a failed probe leaves it serving. Creation and release go through an {@link UpstreamRegistry}, so concurrent demand
 * never produces a second connection for one slot.
 */
final class ConnectionGroup {

  private static final Logger LOG = Logger.getLogger(ConnectionGroup.class.getName());
  private static final int OVERLAP_IDENTITIES = 200_000;

  /**
   * How long a replaced session keeps reading after the swap, at most (a quarter of the session
   * age when that is shorter, so the old session is gone long before the provider's cut-off); well
   * inside the filter's grace.
   */
  static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(2);

  /** Makes one connection of the group with the listener the group gives it. */
  @FunctionalInterface
  interface Factory {
    UpstreamConnection create(UpstreamDefinition definition, UpstreamSettings settings, UpstreamListener listener);
  }

  private final UpstreamDefinition definition;
  private final Factory factory;
  private final UpstreamListener downstream;
  private final UpstreamRegistry registry;
  private final DemandSplit split;
  private final OverlapFilter overlap;
  private final Tasks timers;
  private final Clock clock;

  /** How old the last data may be to mark where an outage began (the default silence window is 60 s). */
  static final Duration RECENT_DATA = Duration.ofMinutes(2);
  /** Replaced sessions still reading what they had received; closed by timer or by stop(). */
  private final java.util.Set<UpstreamConnection> draining = ConcurrentHashMap.newKeySet();
  private final Map<UpstreamConnection, Member> members = new ConcurrentHashMap<>();
  private final List<UpstreamRegistry.Lease> demandLeases = new ArrayList<>();
  private final Map<UpstreamKey, Integer> slots = new ConcurrentHashMap<>();
  /** Replacements being brought up, by slot; each becomes its slot's connection once settled. */
  private final Map<Integer, Member> rotating = new HashMap<>();
  private UpstreamRegistry.Lease warm;
  private int rotations;

  ConnectionGroup(
      UpstreamDefinition definition,
      Factory factory,
      UpstreamListener downstream,
      Clock clock,
      Tasks timers) {
    this.definition = definition;
    this.timers = timers;
    this.clock = clock;
    this.factory = factory;
    this.downstream = downstream;
    this.registry = new UpstreamRegistry(key -> newMember(slots.get(key), true).connection);
    this.split = new DemandSplit(definition.protocol().maxSubscriptions(), definition.protocol().maxConnections());
    this.overlap = new OverlapFilter(clock, OVERLAP_IDENTITIES);
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
  void demand(DemandChanged change) {
    List<UpstreamConnection> abandoned = new ArrayList<>();
    Interest refused;
    synchronized (this) {
      List<DemandSplit.Delta> deltas = split.apply(change.added(), change.removed());
      refused = split.refused();
      for (DemandSplit.Delta delta : deltas) {
        int slot = delta.shard();
        while (demandLeases.size() <= slot) {
          demandLeases.add(null);
        }
        if (demandLeases.get(slot) == null && split.sizeOf(slot) > 0) {
          demandLeases.set(slot, registry.acquire(key(slot)));
        }
        DemandChanged part = new DemandChanged(change.stream(), delta.added(), delta.removed());
        registry.connection(key(slot)).ifPresent(connection -> connection.demand(part));
        Member replacement = rotating.get(slot);
        if (replacement != null) {
          replacement.connection.demand(part);
        }
        if (split.sizeOf(slot) == 0 && demandLeases.get(slot) != null) {
          demandLeases.get(slot).release();
          demandLeases.set(slot, null);
          if (registry.connection(key(slot)).isEmpty() && replacement != null) {
            rotating.remove(slot); // nothing left to rotate into
            overlap.rotationEnded();
            abandoned.add(replacement.connection);
          }
        }
      }
    }
    abandoned.forEach(UpstreamConnection::stop);
    if (!refused.isEmpty()) {
      // every connection allowed is full: the clients that asked hear Alpaca's 405, after the
      // acknowledgement that this demand change is part of (hence not on this thread, which may be
      // inside that client's subscribe)
      LOG.warning(() -> stream() + ": " + definition.protocol().maxConnections()
          + " connections full, refused " + refused.channels().size() + " channel(s) of new demand");
      SubscriptionRefused refusal = new SubscriptionRefused(stream(), refused, 405, "symbol limit exceeded");
      timers.runAsync(() -> downstream.subscriptionRefused(refusal));
    }
  }

  /** The demand the slot's connection holds, for tests and status. */
  synchronized Interest demandOf(int slot) {
    return split.demandOf(slot);
  }

  /** Planned rotations completed since start. */
  synchronized int rotations() {
    return rotations;
  }

  /** Every connection, replacements being brought up included. */
  List<UpstreamStatus> statuses() {
    return connections().stream().map(UpstreamConnection::status).toList();
  }

  /** The connections serving the slots, without replacements or probes being brought up. */
  List<UpstreamStatus> servingStatuses() {
    return registry.connections().stream().map(UpstreamConnection::status).toList();
  }

  List<UpstreamConnection> connections() {
    List<UpstreamConnection> all = new ArrayList<>(registry.connections());
    synchronized (this) {
      rotating.values().forEach(m -> all.add(m.connection));
    }
    return all;
  }

  void stop() {
    List<Member> replacements;
    synchronized (this) {
      replacements = new ArrayList<>(rotating.values());
      rotating.clear();
    }
    registry.stopAll();
    replacements.forEach(m -> m.connection.stop());
    List.copyOf(draining).forEach(UpstreamConnection::stop);
    draining.clear();
  }

  private Member newMember(int slot, boolean primary) {
    Member member = new Member(slot, primary);
    member.connection = factory.create(definition, definition.settings().forSlot(slot), member);
    members.put(member.connection, member);
    return member;
  }

  /** A slot's session is old: bring up its replacement with the slot's demand. */
  private void aged(Member old) {
    Member replacement;
    synchronized (this) {
      UpstreamConnection current = registry.connection(key(old.slot)).orElse(null);
      if (current != old.connection || rotating.containsKey(old.slot)) {
        return; // already replaced, released, or a replacement is on its way
      }
      replacement = newMember(old.slot, false);
      rotating.put(old.slot, replacement);
      overlap.rotationStarted();
      // before start, so a protocol that carries demand in its URL connects with all of it
      replacement.connection.demand(new DemandChanged(stream(), split.demandOf(old.slot), Interest.none()));
    }
    LOG.info(() -> definition.settings().forSlot(old.slot).name() + ": planned rotation, bringing up a replacement");
    replacement.connection.start();
  }

  /**
   * The slot's connection is on a fallback feed and its re-probe is due: a probe of the preferred
   * feed comes up beside it with the slot's demand and replaces it, as in a planned rotation, once
   * authenticated and subscribed; the overlap is delivered once.
   */
  private void reprobe(Member current) {
    Member probe;
    synchronized (this) {
      if (registry.connection(key(current.slot)).orElse(null) != current.connection
          || rotating.containsKey(current.slot)) {
        return; // replaced or released meanwhile, or a replacement is already on its way
      }
      probe = newMember(current.slot, false);
      probe.connection.probe();
      rotating.put(current.slot, probe);
      overlap.rotationStarted();
      probe.connection.demand(new DemandChanged(stream(), split.demandOf(current.slot), Interest.none()));
    }
    probe.connection.start();
  }

  /** A probe failed and stopped itself: the slot's connection stays, and is told why. */
  private void probeFailed(Member probe, String why) {
    UpstreamConnection current;
    synchronized (this) {
      members.remove(probe.connection);
      if (rotating.get(probe.slot) != probe) {
        return;
      }
      rotating.remove(probe.slot);
      overlap.rotationEnded();
      current = registry.connection(key(probe.slot)).orElse(null);
    }
    if (current != null) {
      current.probeFailed(why);
    }
  }

  /** A replacement is live and subscribed: it takes the slot, the old session closes. */
  private void settled(Member member) {
    UpstreamConnection old;
    synchronized (this) {
      if (member.primary || rotating.get(member.slot) != member) {
        return;
      }
      rotating.remove(member.slot);
      old = registry.connection(key(member.slot)).orElse(null);
      if (old == null || !registry.replace(key(member.slot), old, member.connection)) {
        old = member.connection; // the slot was let go meanwhile: the replacement is not needed
      } else {
        member.primary = true;
        rotations++;
      }
      overlap.rotationEnded();
    }
    UpstreamConnection closing = old;
    if (closing == member.connection) {
      LOG.info(() -> member.connection.status().connection() + ": replacement not needed any more, closed");
      closing.stop();
      return;
    }
    LOG.info(() -> member.connection.status().connection()
        + ": replacement live and subscribed, the old session closes in " + drain().toMillis() + " ms");
    Member replaced = members.get(closing);
    if (replaced != null) {
      replaced.primary = false; // events without identity now come from the replacement only
    }
    closing.retire();
    draining.add(closing);
    timers.schedule(() -> {
      draining.remove(closing);
      members.remove(closing);
      closing.stop();
    }, drain());
  }

  /** Forwards one connection's data: once per identity during a rotation, else from the slot's own connection. */
  private void received(Member from, MarketDataReceived data, List<Object> identities) {
    if (!overlap.active()) {
      if (from.primary) {
        downstream.received(data);
      }
      return;
    }
    List<MarketEvent> kept = new ArrayList<>(data.events().size());
    for (int i = 0; i < data.events().size(); i++) {
      Object identity = identities == null ? null : identities.get(i);
      if (identity == null ? from.primary : overlap.firstTime(identity)) {
        kept.add(data.events().get(i));
      }
    }
    if (kept.size() == data.events().size()) {
      downstream.received(data);
    } else if (!kept.isEmpty()) {
      downstream.received(new MarketDataReceived(data.stream(), data.feed(), kept));
    }
  }

  private java.time.Duration drain() {
    java.time.Duration quarter = definition.protocol().maxSessionAge().dividedBy(4);
    return quarter.isZero() || quarter.compareTo(DRAIN) > 0 ? DRAIN : quarter;
  }

  private UpstreamKey key(int slot) {
    UpstreamKey first = definition.key();
    UpstreamKey key = slot == 0 ? first
        : new UpstreamKey(first.provider(), first.keyId(), first.feedGroup() + "#" + (slot + 1));
    slots.putIfAbsent(key, slot);
    return key;
  }

  /**
   * One connection of the group, as its listener: what it produces passes through the group. It is
   * also the one place that tells an outage (a slot's own connection leaving CONNECTED, unless it is
   * stopped) from a planned rotation (the replaced session is no longer primary when it closes) and
   * says when data flows again (the connection settled: live, every subscription answered).
   */
  private final class Member implements UpstreamListener {
    final int slot;
    /** The slot's connection (events without identity are taken from it only); guarded by the group. */
    volatile boolean primary;
    UpstreamConnection connection;
    private volatile String feed;
    /** The open outage of this connection; never changed under a lock (callers may hold the connection's). */
    private final java.util.concurrent.atomic.AtomicReference<UpstreamInterrupted> outage =
        new java.util.concurrent.atomic.AtomicReference<>();

    Member(int slot, boolean primary) {
      this.slot = slot;
      this.primary = primary;
    }

    @Override
    public void stateChanged(UpstreamStateChanged change) {
      downstream.stateChanged(change);
      if (change.from() == UpstreamState.CONNECTED && change.to() != UpstreamState.STOPPED && primary) {
        Interest held = connection.currentDemand(); // called back under the connection's lock: reentrant
        UpstreamInterrupted opened = new UpstreamInterrupted(
            change.stream(), change.connection(), feed, stoppedAt(change), change.reason(), held);
        if (!held.isEmpty() && outage.compareAndSet(null, opened)) {
          downstream.interrupted(opened);
        }
      } else if (change.to() == UpstreamState.STOPPED) {
        UpstreamInterrupted open = outage.getAndSet(null);
        if (open != null) { // let go during its outage: nothing flows again
          downstream.restored(new UpstreamRestored(open.stream(), open.connection(), open.feed(),
              open.since(), change.at(), open.interest(), Interest.none()));
        }
      }
    }

    /**
     * Where the data stopped: a stall is noticed a silence window after the last data, a drop at
     * once; the last data counts when it is recent (a quiet stream's last data may be hours old,
     * and a window that long would be fetched again for nothing).
     */
    private Instant stoppedAt(UpstreamStateChanged change) {
      Instant lastData = connection.status().lastDataAt(); // reentrant: the connection's lock
      return lastData != null && lastData.isBefore(change.at())
              && lastData.isAfter(change.at().minus(RECENT_DATA))
          ? lastData
          : change.at();
    }

    @Override
    public void received(MarketDataReceived data) {
      ConnectionGroup.this.received(this, data, null);
    }

    @Override
    public void received(MarketDataReceived data, List<Object> identities) {
      ConnectionGroup.this.received(this, data, identities);
    }

    @Override
    public void feedSelected(FeedSelected selected) {
      feed = selected.feed();
      downstream.feedSelected(selected);
    }

    @Override
    public void settled() {
      UpstreamInterrupted open = outage.get();
      if (open != null) {
        Interest held = connection.currentDemand();
        if (outage.compareAndSet(open, null)) {
          downstream.restored(new UpstreamRestored(open.stream(), open.connection(), feed,
              open.since(), clock.instant(), open.interest(), held));
        }
      }
      ConnectionGroup.this.settled(this);
    }

    @Override
    public void sessionAged() {
      aged(this);
    }

    @Override
    public void subscriptionRefused(SubscriptionRefused refused) {
      downstream.subscriptionRefused(refused);
    }

    @Override
    public void reprobeDue() {
      reprobe(this);
    }

    @Override
    public void probeFailed(String why) {
      ConnectionGroup.this.probeFailed(this, why);
    }
  }
}
