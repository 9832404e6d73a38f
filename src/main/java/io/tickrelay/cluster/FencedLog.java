package io.tickrelay.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The data-plane write: appends to an upstream stream's capped Redis Stream only if the caller is
 * still the lease's holder, and numbers the entry, all in one script, so a paused or partitioned
 * old owner is refused by Redis itself however late its write arrives (scaleout.md §0: "the fence
 * is enforced by the engine"). Comparing the whole owner value (node token and term) rather than
 * the term alone also refuses a writer after Redis lost its data and the terms began again.
 *
 * <p>The numbering lives in Redis, beside the log ({@link UpstreamKey#metaKey()}: epoch {@code e},
 * last number given out {@code s}): an append takes the next {@code count} numbers and its entry
 * id is the first of them, {@code <seq>-0}. So a new owner continues the numbering without reading
 * anything first, and ids never repeat or go back, whoever writes. The epoch changes only when the
 * numbering is gone (Redis lost its data) or went back below what the writer saw: the script
 * starts a new one and empties the log.
 *
 * <p>Entry fields: {@code e} the epoch (so a reader sees a change at the very entry), {@code n}
 * the count, {@code d} the payload ({@link EventCodec}).
 */
public final class FencedLog {

  // XADD key MAXLEN ~ n id field value ... (https://redis.io/docs/latest/commands/xadd/): the "~"
  // lets Redis trim whole macro nodes only, much cheaper than an exact cap; the stream keeps at
  // least n entries. Numbers are formatted with %d: Lua's default tostring switches to exponent
  // notation past 14 digits. Lua numbers are doubles: exact up to 2^53, which at a million
  // entries a second lasts 285 years.
  private static final Script APPEND = new Script(
      "local owner = redis.call('GET', KEYS[1])\n"
          + "if owner ~= ARGV[1] then return {0, owner or ''} end\n"
          + "local e = redis.call('HGET', KEYS[2], 'e')\n"
          + "local s = 0\n"
          + "if e then\n"
          + "  s = tonumber(redis.call('HGET', KEYS[2], 's'))\n"
          + "  if e == ARGV[6] and s < tonumber(ARGV[7]) then e = false end\n"
          + "end\n"
          + "if not e then\n"
          + "  e = ARGV[3]\n"
          + "  s = 0\n"
          + "  redis.call('DEL', KEYS[3])\n"
          + "end\n"
          + "local seq = s + 1\n"
          + "redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], string.format('%d-0', seq),"
          + " 'e', e, 'n', ARGV[4], 'd', ARGV[5])\n"
          + "redis.call('HSET', KEYS[2], 'e', e, 's', string.format('%d', s + tonumber(ARGV[4])))\n"
          + "return {1, seq, e}\n",
      ScriptOutputType.MULTI);

  private final RedisAsyncCommands<String, byte[]> redis;
  private final byte[] maxLength;

  /**
   * @param redis a binary connection ({@link RedisEngine#data()})
   * @param maxLength the least number of entries each stream keeps (its resume window)
   */
  public FencedLog(RedisAsyncCommands<String, byte[]> redis, long maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be positive");
    }
    this.redis = Objects.requireNonNull(redis);
    this.maxLength = ascii(Long.toString(maxLength));
  }

  /**
   * Appends one payload as {@code writer}; refused unless {@code writer} still holds the lease.
   * Appends sent on one connection are numbered in the order sent, so an owner may pipeline them.
   *
   * @param count how many sequence numbers the entry takes (its events, for per-message
   *     numbering; at least 1)
   * @param payload the entry's bytes ({@link EventCodec#encode})
   */
  public CompletionStage<Appended> append(UpstreamKey key, Holder writer, int count,
      byte[] payload) {
    return append(key, writer, LogPosition.START, count, payload);
  }

  /**
   * As {@link #append(UpstreamKey, Holder, int, byte[])}, telling Redis how far the writer knows
   * the numbering went ({@code seen}: its last accepted append, or its own reader's position). If
   * Redis has the same epoch but a lower number, it lost acknowledged writes (a failover to a
   * lagging replica, the tail of an append-only file) and would hand out numbers again for other
   * events: the script starts a new epoch instead (scaleout.md §4.2, the expected-sequence check).
   * Safe with pipelining: earlier appends only raise the number.
   */
  public CompletionStage<Appended> append(UpstreamKey key, Holder writer, LogPosition seen,
      int count, byte[] payload) {
    if (count < 1) {
      throw new IllegalArgumentException("an entry takes at least one number");
    }
    byte[] newEpoch = ascii(String.format("%08x", ThreadLocalRandom.current().nextInt()));
    return APPEND.<List<Object>>run(redis,
        new String[] {key.ownerKey(), key.metaKey(), key.logKey()},
        ascii(writer.value()), maxLength, newEpoch, ascii(Integer.toString(count)),
        Objects.requireNonNull(payload), ascii(seen.epoch() == null ? "" : seen.epoch()),
        ascii(Long.toString(Math.max(seen.seq(), 0)))).thenApply(FencedLog::answer);
  }

  private static Appended answer(List<Object> reply) {
    long accepted = (Long) reply.get(0);
    if (accepted == 1) {
      return Appended.accepted((Long) reply.get(1), text(reply.get(2)));
    }
    return Appended.refused(Holder.parse(text(reply.get(1))));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object bulk) {
    return new String((byte[]) bulk, StandardCharsets.UTF_8);
  }
}
