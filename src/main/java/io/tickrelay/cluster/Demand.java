package io.tickrelay.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One node's demand on one upstream stream, kept in Redis so the owner can subscribe upstream to
 * the union of every live node's demand (issue 14, "Demand from every node"; scaleout.md §0 (b)).
 * Each node writes its set whole when it changes and refreshes its expiry by heartbeat; the live
 * nodes are a sorted set scored by expiry, so a dead node's demand leaves by itself once its
 * heartbeats stop. Expiries are computed from Redis' own clock ({@code TIME} inside the script,
 * https://redis.io/docs/latest/commands/time/), not the nodes', so node clocks may disagree.
 */
public final class Demand {

  private static final String NOW = "local t = redis.call('TIME')\n"
      + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n";

  // the whole set in one step (DEL + SADD + PEXPIRE), the node's heartbeat, and the change hint
  private static final Script REPLACE = new Script(NOW
      + "redis.call('DEL', KEYS[2])\n"
      + "if #ARGV > 3 then\n"
      + "  redis.call('SADD', KEYS[2], unpack(ARGV, 4))\n"
      + "  redis.call('PEXPIRE', KEYS[2], ARGV[2])\n"
      + "end\n"
      + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])\n"
      + "redis.call('PUBLISH', ARGV[3], ARGV[1])\n"
      + "return now\n",
      ScriptOutputType.INTEGER);

  // 1 while the node's set exists, 0 when it is gone (expired, or Redis lost its data)
  private static final Script HEARTBEAT = new Script(NOW
      + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])\n"
      + "return redis.call('PEXPIRE', KEYS[2], ARGV[2])\n",
      ScriptOutputType.INTEGER);

  private static final Script LIVE = new Script(NOW
      + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)\n"
      + "return redis.call('ZRANGE', KEYS[1], 0, -1)\n",
      ScriptOutputType.MULTI);

  private static final Script LEAVE = new Script(
      "redis.call('ZREM', KEYS[1], ARGV[1])\n"
          + "redis.call('DEL', KEYS[2])\n"
          + "redis.call('PUBLISH', ARGV[2], ARGV[1])\n"
          + "return 1\n",
      ScriptOutputType.INTEGER);

  private final RedisAsyncCommands<String, String> redis;
  private final UpstreamKey key;
  private final String node;
  private final Duration ttl;
  private volatile Set<String> wanted = Set.of();

  /** @param ttl how long this node's demand outlives its last heartbeat (issue 14: under 30 s) */
  public Demand(RedisAsyncCommands<String, String> redis, UpstreamKey key, String node,
      Duration ttl) {
    this.redis = Objects.requireNonNull(redis);
    this.key = Objects.requireNonNull(key);
    this.node = Objects.requireNonNull(node);
    this.ttl = Objects.requireNonNull(ttl);
  }

  /** Makes {@code subscriptions} this node's whole demand and tells the owner it changed. */
  public CompletionStage<Void> replace(Set<String> subscriptions) {
    Set<String> copy = Set.copyOf(subscriptions);
    wanted = copy;
    List<String> args = new ArrayList<>(3 + copy.size());
    args.add(node);
    args.add(millis());
    args.add(key.demandChannel());
    args.addAll(copy);
    return REPLACE.<Long>run(redis, keys(), args.toArray(new String[0])).thenApply(now -> null);
  }

  /**
   * Keeps this node alive and its demand with it; writes the demand again when Redis no longer has
   * it (after a restart without persistence), so the owner sees it without a client's help.
   */
  public CompletionStage<Void> heartbeat() {
    Set<String> current = wanted;
    return HEARTBEAT.<Long>run(redis, keys(), node, millis()).thenCompose(kept ->
        kept == 0 && !current.isEmpty() ? replace(current) : CompletableFuture.completedFuture(null));
  }

  /** The nodes whose heartbeat has not expired, by Redis' clock (dropping the others). */
  public CompletionStage<List<String>> liveNodes() {
    return LIVE.<List<Object>>run(redis, new String[] {key.nodesKey()})
        .thenApply(nodes -> nodes.stream().map(String.class::cast).toList());
  }

  /**
   * What the owner must subscribe upstream: the union of the live nodes' demand. Two steps (the
   * live nodes, then {@code SUNION}), so a node that dies in between may count once more; its set
   * expires with its heartbeat anyway.
   */
  public CompletionStage<Set<String>> union() {
    return liveNodes().thenCompose(nodes -> {
      if (nodes.isEmpty()) {
        return CompletableFuture.completedFuture(Set.of());
      }
      String[] wantKeys = nodes.stream().map(key::wantKey).toArray(String[]::new);
      return redis.sunion(wantKeys).thenApply(Set::copyOf);
    });
  }

  /** Takes this node and its demand out at once (a node shutting down). */
  public CompletionStage<Void> leave() {
    wanted = Set.of();
    return LEAVE.<Long>run(redis, keys(), node, key.demandChannel()).thenApply(done -> null);
  }

  private String[] keys() {
    return new String[] {key.nodesKey(), key.wantKey(node)};
  }

  private String millis() {
    return Long.toString(ttl.toMillis());
  }
}
