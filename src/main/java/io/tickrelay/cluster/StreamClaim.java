package io.tickrelay.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.upstream.GatedStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One upstream stream as this node sees it in the cluster: its lease (the node connects upstream
 * only while it holds it, scaleout.md §4.3), this node's clients' demand written to Redis, and, while
 * owner, the union of every live node's demand held upstream. One step per poll, never two at once;
 * Redis answers are acted on by the node's executor, never on Lettuce's event loop.
 */
final class StreamClaim {

  private static final Logger LOG = Logger.getLogger(StreamClaim.class.getName());

  private final GatedStream stream;
  private final UpstreamKey key;
  private final String token;
  private final ClusterTiming timing;
  private final Clock clock;
  private final Executor executor;
  private final Health health;
  private final AtomicBoolean busy = new AtomicBoolean();

  private volatile Lease lease;
  private volatile Demand demand;
  /** This node's clients' demand on the stream. */
  private volatile Interest local = Interest.none();
  /** What Redis has of it (null: write it whole at the next step). */
  private Interest published;
  private Instant lastRenewSent = Instant.MIN;
  private Instant lastHeartbeat = Instant.MIN;
  private volatile Ownership ownership;
  private volatile List<String> liveNodes = List.of();

  StreamClaim(GatedStream stream, UpstreamKey key, String token, ClusterTiming timing, Clock clock,
      Executor executor, Health health) {
    this.stream = stream;
    this.key = key;
    this.token = token;
    this.timing = timing;
    this.clock = clock;
    this.executor = executor;
    this.health = health;
  }

  /** Redis is connected: the lease and the demand go through these commands from now on. */
  void bind(RedisAsyncCommands<String, String> redis) {
    lease = new Lease(redis, key, token, timing.leaseTtl(), timing.margin(), clock);
    demand = new Demand(redis, key, token, timing.demandTtl());
    published = null;
  }

  UpstreamKey key() {
    return key;
  }

  GatedStream stream() {
    return stream;
  }

  void localDemand(DemandChanged change) {
    synchronized (this) {
      local = local.plus(change.added()).minus(change.removed());
    }
  }

  /** One poll: stop if the lease ran out, then one step with Redis unless the last still runs. */
  void tick() {
    Lease current = lease;
    fenceUnlessHeld(current);
    if (current == null || !busy.compareAndSet(false, true)) {
      return;
    }
    Instant now = clock.instant();
    CompletionStage<?> step;
    try {
      step = (current.holds() ? renewAndFollow(current, now) : tryAcquire(current))
          .thenCompose(done -> publishDemand(now));
    } catch (RuntimeException e) { // a command refused synchronously: the step ends here
      step = CompletableFuture.failedFuture(e);
    }
    step.whenCompleteAsync((done, failure) -> {
      if (failure != null) {
        health.failed(failure);
      } else {
        health.succeeded();
      }
      busy.set(false);
    }, executor);
  }

  /** Self-fence: the lease may pass to another node soon, so the upstream closes now. */
  private void fenceUnlessHeld(Lease current) {
    if (stream.isOpen() && (current == null || !current.holds())) {
      LOG.warning(() -> stream.stream() + ": lease not renewed in time, upstream closed (self-fence)");
      stream.close();
    }
  }

  private CompletionStage<Void> renewAndFollow(Lease current, Instant now) {
    CompletionStage<Boolean> renewed;
    if (Duration.between(lastRenewSent, now).compareTo(timing.renewInterval()) >= 0) {
      lastRenewSent = now;
      renewed = current.renew().handleAsync((ok, failure) -> {
        if (failure != null) {
          health.renewFailed(failure);
          return current.holds();
        }
        if (!ok) {
          health.renewFailed(null);
          LOG.warning(() -> stream.stream() + ": lease lost to another node or to Redis, upstream closed");
          stream.close();
        }
        return ok;
      }, executor);
    } else {
      renewed = CompletableFuture.completedFuture(true);
    }
    return renewed.thenCompose(held -> held ? follow(current) : CompletableFuture.completedFuture(null));
  }

  private CompletionStage<Void> tryAcquire(Lease current) {
    Instant sent = clock.instant();
    return current.acquire().thenComposeAsync(term -> {
      if (term.isEmpty()) {
        return current.ownership().thenAccept(seen -> ownership = seen);
      }
      lastRenewSent = sent;
      ownership = new Ownership(current.fence(), sent);
      LOG.info(() -> stream.stream() + ": this node owns the upstream now (term "
          + term.getAsLong() + ")");
      return follow(current);
    }, executor);
  }

  /** The owner holds the union of the live nodes' demand upstream (opening it if not yet). */
  private CompletionStage<Void> follow(Lease current) {
    return demand.union().thenAcceptAsync(union -> {
      if (!current.holds()) {
        return;
      }
      Interest wanted = decode(union);
      if (stream.isOpen()) {
        stream.want(wanted);
      } else {
        stream.open(wanted);
      }
    }, executor);
  }

  private CompletionStage<Void> publishDemand(Instant now) {
    Interest mine = local;
    Demand writer = demand;
    if (!mine.equals(published)) {
      lastHeartbeat = now;
      return writer.replace(encode(mine)).thenAccept(done -> published = mine)
          .thenCompose(done -> readLiveNodes(writer));
    }
    if (Duration.between(lastHeartbeat, now).compareTo(timing.renewInterval()) >= 0) {
      lastHeartbeat = now;
      return writer.heartbeat().thenCompose(done -> readLiveNodes(writer));
    }
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> readLiveNodes(Demand writer) {
    return writer.liveNodes().thenAccept(nodes -> liveNodes = List.copyOf(nodes));
  }

  /**
   * Orderly stop: the upstream closes first (so the next owner is not refused as a second
   * connection), then the lease is given up and this node's demand withdrawn; what is left of
   * Redis' answer is the caller's to wait for.
   */
  CompletionStage<Void> release() {
    stream.close();
    Lease current = lease;
    Demand writer = demand;
    if (current == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletionStage<Boolean> released = current.holds() || current.fence() != null
        ? current.release() : CompletableFuture.completedFuture(false);
    return released.thenCompose(done -> writer.leave())
        .exceptionally(failure -> null);
  }

  /** Who owns the stream as last seen (this node's own ownership while it holds the lease). */
  Ownership ownership() {
    Lease current = lease;
    if (current != null && current.holds()) {
      return ownership;
    }
    Ownership seen = ownership;
    return seen != null && seen.holder().node().equals(token) ? null : seen;
  }

  boolean ownedHere() {
    Lease current = lease;
    return current != null && current.holds() && stream.isOpen();
  }

  List<String> liveNodes() {
    return liveNodes;
  }

  /** {@code CHANNEL:symbol} per pair: a set Redis can union across nodes. */
  static Set<String> encode(Interest interest) {
    Set<String> members = new HashSet<>();
    for (Channel channel : interest.channels()) {
      interest.symbols(channel).forEach(symbol -> members.add(channel.name() + ":" + symbol));
    }
    return members;
  }

  /** The inverse of {@link #encode}; a member this node does not know (a newer node's) is skipped. */
  static Interest decode(Set<String> members) {
    Map<Channel, List<String>> symbols = new EnumMap<>(Channel.class);
    for (String member : members) {
      int colon = member.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      try {
        Channel channel = Channel.valueOf(member.substring(0, colon));
        symbols.computeIfAbsent(channel, c -> new ArrayList<>()).add(member.substring(colon + 1));
      } catch (IllegalArgumentException unknown) {
        LOG.fine(() -> "demand on an unknown channel skipped");
      }
    }
    return Interest.of(symbols);
  }

  /** Where each step reports how Redis answered. */
  interface Health {
    void succeeded();

    void failed(Throwable failure);

    /** A renewal failed (null: Redis answered that the lease is no longer ours). */
    void renewFailed(Throwable failure);
  }
}
