package io.tickrelay.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This node's claim to one upstream connection: a Redis key set only if absent and with an expiry
 * ({@code SET NX PX}, https://redis.io/docs/latest/commands/set/), plus a term counter incremented
 * in the same script, the fencing token (Kleppmann, "How to do distributed locking": a lock
 * service cannot tell a slow holder from a dead one, so the resource must check a token;
 * scaleout.md §0, §3.1). Here Redis is that resource: {@link FencedLog} appends only for the
 * current holder.
 *
 * <p>The owner renews by compare-and-extend and gives up by compare-and-delete, so a node never
 * extends or deletes a lease that has passed to another. {@link #holds()} is this node's own,
 * pessimistic view: the lease counts only until the instant the last successful acquire or renew
 * was <em>sent</em> plus the expiry minus a margin, so an owner stops (closes upstream, stops
 * publishing) before Redis can give the lease to another node, whatever the reason its renewals
 * stopped. Not thread-safe: one owner loop drives it.
 */
public final class Lease {

  // EXISTS + SET NX PX are one step inside the script; the term grows only on success and never
  // expires, so each holder's term is larger than every earlier one (while Redis keeps its data).
  private static final Script ACQUIRE = new Script(
      "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end\n"
          + "local term = redis.call('INCR', KEYS[2])\n"
          + "redis.call('SET', KEYS[1], ARGV[1] .. '|' .. term, 'NX', 'PX', ARGV[2])\n"
          + "local t = redis.call('TIME')\n"
          + "redis.call('SET', KEYS[3], ARGV[1] .. '|' .. term .. '|'"
          + " .. (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))\n"
          + "return term\n",
      ScriptOutputType.INTEGER);

  // compare-and-extend: PEXPIRE (https://redis.io/docs/latest/commands/pexpire/) only if the
  // value is still ours, i.e. no expiry and re-acquire by another node happened in between
  private static final Script RENEW = new Script(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
          + "end\n"
          + "return 0\n",
      ScriptOutputType.INTEGER);

  // compare-and-delete (the single-instance lock release of https://redis.io/docs/latest/develop/use/patterns/distributed-locks/),
  // then a hint so standbys try at once instead of at their next poll
  private static final Script RELEASE = new Script(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  redis.call('DEL', KEYS[1])\n"
          + "  redis.call('PUBLISH', ARGV[2], 'released')\n"
          + "  return 1\n"
          + "end\n"
          + "return 0\n",
      ScriptOutputType.INTEGER);

  private final RedisAsyncCommands<String, String> redis;
  private final UpstreamKey key;
  private final String node;
  private final Duration ttl;
  private final Duration margin;
  private final Clock clock;
  // written by the completions (Lettuce's event-loop thread), read by the owner loop
  private volatile Holder held;
  private volatile Holder lastHeld;
  private volatile Instant validUntil = Instant.MIN;

  /**
   * @param node this node's token, unique per process lifetime (a name plus a random part): the
   *     fence compares it, so two processes must never share one
   * @param ttl the lease's expiry in Redis (scaleout.md: 3 s, renewed every second)
   * @param margin how much earlier than {@code ttl} this node stops counting on the lease, for
   *     clock drift and the time a close takes (scaleout.md: 1 s)
   */
  public Lease(RedisAsyncCommands<String, String> redis, UpstreamKey key, String node,
      Duration ttl, Duration margin, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.key = Objects.requireNonNull(key);
    this.node = Objects.requireNonNull(node);
    if (node.isEmpty() || margin.isNegative() || margin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("need a node token and 0 <= margin < ttl");
    }
    this.ttl = ttl;
    this.margin = margin;
    this.clock = clock;
  }

  public UpstreamKey key() {
    return key;
  }

  /**
   * Takes the lease if nobody holds it: the new term, or empty when it is held (by another node,
   * or by this one: a holder renews instead).
   */
  public CompletionStage<OptionalLong> acquire() {
    Instant sent = clock.instant();
    return ACQUIRE.<Long>run(redis,
            new String[] {key.ownerKey(), key.termKey(), key.sinceKey()}, node, millis())
        .thenApply(term -> {
          if (term == null || term == 0) {
            return OptionalLong.empty();
          }
          held = new Holder(node, term);
          validUntil = sent.plus(ttl).minus(margin);
          return OptionalLong.of(term);
        });
  }

  /**
   * Extends the lease if this node still holds it. False: it has passed (expired, taken, or lost
   * with Redis' data); this node must stop at once. A failed stage (timeout, connection down)
   * changes nothing: {@link #holds()} runs out by itself.
   */
  public CompletionStage<Boolean> renew() {
    Holder current = held;
    if (current == null) {
      return CompletableFuture.completedFuture(false);
    }
    Instant sent = clock.instant();
    return RENEW.<Long>run(redis, new String[] {key.ownerKey()}, current.value(), millis())
        .thenApply(extended -> {
          if (extended != null && extended == 1) {
            if (current.equals(held)) {
              validUntil = sent.plus(ttl).minus(margin);
            }
            return true;
          }
          lose(current);
          return false;
        });
  }

  /** Gives the lease up at once (a node shutting down hands over); false if it was not ours. */
  public CompletionStage<Boolean> release() {
    Holder current = held;
    if (current == null) {
      return CompletableFuture.completedFuture(false);
    }
    lose(current); // stop counting on it before the answer: it is gone either way
    return RELEASE.<Long>run(redis, new String[] {key.ownerKey()}, current.value(),
        key.eventsChannel()).thenApply(deleted -> deleted != null && deleted == 1);
  }

  /** True while this node may act as owner: until the last good acquire/renew send + ttl - margin. */
  public boolean holds() {
    return held != null && clock.instant().isBefore(validUntil);
  }

  /**
   * The holder this node last acquired as (its term is the fencing token the data plane checks),
   * or null. Kept after the lease is lost so a late write can show it is refused.
   */
  public Holder fence() {
    return held != null ? held : lastHeld;
  }

  /** Who holds the lease according to Redis now (null: nobody). */
  public CompletionStage<Holder> holder() {
    return redis.get(key.ownerKey()).thenApply(Holder::parse);
  }

  /**
   * Who holds the lease and since when, by Redis' clock (null: nobody; since null when the
   * record of the acquire is missing or names an earlier holder).
   */
  public CompletionStage<Ownership> ownership() {
    return redis.mget(key.ownerKey(), key.sinceKey()).thenApply(values -> {
      Holder holder = Holder.parse(values.get(0).getValueOrElse(null));
      if (holder == null) {
        return null;
      }
      String since = values.get(1).getValueOrElse(null);
      String prefix = holder.value() + "|";
      Instant at = since != null && since.startsWith(prefix)
          ? Instant.ofEpochMilli(Long.parseLong(since.substring(prefix.length())))
          : null;
      return new Ownership(holder, at);
    });
  }

  private void lose(Holder current) {
    if (current.equals(held)) {
      lastHeld = held;
      held = null;
      validUntil = Instant.MIN;
    }
  }

  private String millis() {
    return Long.toString(ttl.toMillis());
  }
}
