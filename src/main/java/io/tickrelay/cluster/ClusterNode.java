package io.tickrelay.cluster;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.upstream.GatedStream;
import io.tickrelay.upstream.UpstreamDefinition;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gateway node in the cluster: connects to Redis (retrying until it can; Lettuce reconnects by
 * itself after that), and every poll runs one step per governed stream ({@link StreamClaim}).
 * Plain Java on a scheduler it is given, so tests run two or three nodes in one JVM.
 */
public final class ClusterNode implements StreamClaim.Health {

  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

  private final String node;
  private final String token;
  private final String redisAt;
  private final Supplier<RedisEngine> connector;
  private final ClusterTiming timing;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Map<String, StreamClaim> claims = new ConcurrentHashMap<>();
  private final AtomicLong renewFailures = new AtomicLong();

  private volatile RedisEngine engine;
  private volatile ScheduledFuture<?> ticking;
  private volatile boolean stopped;
  private Instant nextConnect = Instant.MIN;
  private volatile boolean redisUp;
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  /**
   * @param node this node's name (status, logs); its token in Redis adds a random part, so a
   *     restarted node never passes for its earlier self
   * @param redisAt where Redis is, for logs and status (host:port, never the URL)
   * @param connector connects to Redis now or throws
   */
  public ClusterNode(String node, String redisAt, Supplier<RedisEngine> connector,
      ClusterTiming timing, ScheduledExecutorService scheduler, Clock clock) {
    this.node = node;
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    this.token = node + "~" + HexFormat.of().formatHex(random);
    this.redisAt = redisAt;
    this.connector = connector;
    this.timing = timing;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** The node's name as status shows it. */
  public String node() {
    return node;
  }

  /** Takes charge of a stream: it connects upstream only while this node holds its lease. */
  public void govern(GatedStream stream) {
    UpstreamDefinition definition = stream.definition();
    String account = definition.settings().keyId() == null || definition.settings().keyId().isEmpty()
        ? "none" : definition.settings().keyId();
    UpstreamKey key = new UpstreamKey(definition.protocol().provider(), account, stream.stream());
    StreamClaim claim = new StreamClaim(stream, key, token, timing, clock, scheduler, this);
    RedisEngine current = engine;
    if (current != null) {
      claim.bind(current.commands());
    }
    claims.putIfAbsent(stream.stream(), claim);
  }

  public void localDemand(DemandChanged change) {
    StreamClaim claim = claims.get(change.stream());
    if (claim != null) {
      claim.localDemand(change);
    }
  }

  /** Starts polling; the first poll connects to Redis. */
  public synchronized void start() {
    if (ticking == null && !stopped) {
      long period = timing.pollInterval().toNanos();
      ticking = scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.NANOSECONDS);
    }
  }

  void tick() {
    try {
      if (stopped) {
        return;
      }
      if (engine == null) {
        connect();
      }
      claims.values().forEach(StreamClaim::tick);
    } catch (RuntimeException e) { // task boundary: the poll must keep running
      LOG.log(Level.WARNING, "cluster poll failed", e);
    }
  }

  private void connect() {
    Instant now = clock.instant();
    if (now.isBefore(nextConnect)) {
      return;
    }
    nextConnect = now.plus(timing.renewInterval());
    try {
      RedisEngine connected = connector.get();
      synchronized (this) {
        if (stopped) {
          connected.close();
          return;
        }
        engine = connected;
      }
      claims.values().forEach(claim -> claim.bind(connected.commands()));
      LOG.info(() -> "cluster node " + node + " connected to Redis at " + redisAt);
      succeeded();
    } catch (RuntimeException e) { // Lettuce's connect failures are runtime exceptions
      failed(e);
    }
  }

  /**
   * Orderly stop: every upstream closes, every lease is released (a standby takes over at its next
   * poll) and this node's demand withdrawn; then the Redis client and its threads stop.
   */
  public void stop() {
    ScheduledFuture<?> poll;
    synchronized (this) {
      stopped = true;
      poll = ticking;
    }
    if (poll != null) {
      poll.cancel(false);
    }
    List<CompletableFuture<Void>> releases = new ArrayList<>();
    claims.values().forEach(claim -> releases.add(claim.release().toCompletableFuture()));
    try {
      CompletableFuture.allOf(releases.toArray(new CompletableFuture[0]))
          .get(timing.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warning(() -> "cluster node " + node + ": leases not all released ("
          + e.getClass().getSimpleName() + "); they expire by themselves");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeEngine();
  }

  /** A crash as far as Redis can tell: upstreams close with the process, nothing is released. */
  void crash() {
    ScheduledFuture<?> poll;
    synchronized (this) {
      stopped = true;
      poll = ticking;
    }
    if (poll != null) {
      poll.cancel(false);
    }
    closeEngine();
    claims.values().forEach(claim -> claim.stream().close());
  }

  private void closeEngine() {
    RedisEngine closing;
    synchronized (this) {
      closing = engine;
      engine = null;
    }
    if (closing != null) {
      closing.close();
    }
  }

  /** What status shows of the cluster as this node sees it. */
  public ClusterStatus status() {
    TreeSet<String> live = new TreeSet<>();
    List<ClusterStatus.Upstream> upstreams = new ArrayList<>();
    for (StreamClaim claim : claims.values()) {
      claim.liveNodes().forEach(member -> live.add(name(member)));
      Ownership owner = claim.ownership();
      upstreams.add(new ClusterStatus.Upstream(claim.key().provider(), claim.key().stream(),
          owner == null ? null : name(owner.holder().node()),
          owner == null ? null : owner.since(),
          owner == null ? 0 : owner.holder().term(),
          claim.ownedHere()));
    }
    upstreams.sort(java.util.Comparator.comparing(ClusterStatus.Upstream::stream));
    return new ClusterStatus(node, List.copyOf(live), upstreams,
        new ClusterStatus.Redis(redisAt, redisUp, lastError, lastErrorAt), renewFailures.get());
  }

  /** 1 for each stream this node owns (holds the lease and the upstream), by stream. */
  public boolean owns(String stream) {
    StreamClaim claim = claims.get(stream);
    return claim != null && claim.ownedHere();
  }

  public long renewFailures() {
    return renewFailures.get();
  }

  public boolean redisUp() {
    return redisUp;
  }

  @Override
  public void succeeded() {
    redisUp = true;
  }

  @Override
  public void failed(Throwable failure) {
    boolean wasUp = redisUp;
    boolean first = lastError == null;
    redisUp = false;
    lastError = errorClass(failure);
    lastErrorAt = clock.instant();
    if (wasUp || first) {
      LOG.warning(() -> "cluster node " + node + ": Redis at " + redisAt + " failed ("
          + lastError + ")");
    } else {
      LOG.fine(() -> "cluster node " + node + ": Redis at " + redisAt + " still failing ("
          + lastError + ")");
    }
  }

  @Override
  public void renewFailed(Throwable failure) {
    renewFailures.incrementAndGet();
    if (failure != null) {
      failed(failure);
    }
  }

  /** The error's class, unwrapped from completion wrappers: messages may echo the URL. */
  private static String errorClass(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName();
  }

  /** A node's name from its token ({@code name~random}). */
  static String name(String token) {
    int tilde = token.lastIndexOf('~');
    return tilde < 0 ? token : token.substring(0, tilde);
  }

  Duration pollInterval() {
    return timing.pollInterval();
  }
}
