package io.tickrelay.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The data-plane write check: appends to an upstream key's capped Redis Stream only if the caller
 * is still the lease's holder, in one script, so a paused or partitioned old owner is refused by
 * Redis itself however late its write arrives (scaleout.md §0: "the fence is enforced by the
 * engine"). Comparing the whole owner value (node token and term) rather than the term alone also
 * refuses a writer after Redis lost its data and the terms began again.
 */
public final class FencedLog {

  // XADD key MAXLEN ~ n id field value ... (https://redis.io/docs/latest/commands/xadd/): the "~"
  // lets Redis trim whole macro nodes only, much cheaper than an exact cap; the stream keeps at
  // least n entries.
  private static final Script APPEND = new Script(
      "local owner = redis.call('GET', KEYS[1])\n"
          + "if owner ~= ARGV[1] then return {0, owner or ''} end\n"
          + "local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], ARGV[3],"
          + " unpack(ARGV, 4))\n"
          + "return {1, id}\n",
      ScriptOutputType.MULTI);

  private final RedisAsyncCommands<String, String> redis;
  private final long maxLength;

  /** @param maxLength the least number of entries each stream keeps (its resume window) */
  public FencedLog(RedisAsyncCommands<String, String> redis, long maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be positive");
    }
    this.redis = Objects.requireNonNull(redis);
    this.maxLength = maxLength;
  }

  /** Appends with an id Redis assigns ({@code *}). */
  public CompletionStage<Appended> append(UpstreamKey key, Holder writer,
      Map<String, String> fields) {
    return append(key, writer, "*", fields);
  }

  /**
   * Appends one entry as {@code writer}; refused unless {@code writer} still holds the lease.
   *
   * @param entryId the entry's id ({@code "<seq>-0"} once the sequence lives in Redis) or "*"
   */
  public CompletionStage<Appended> append(UpstreamKey key, Holder writer, String entryId,
      Map<String, String> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("an entry needs at least one field");
    }
    List<String> args = new ArrayList<>(3 + 2 * fields.size());
    args.add(writer.value());
    args.add(Long.toString(maxLength));
    args.add(entryId);
    fields.forEach((field, value) -> {
      args.add(field);
      args.add(value);
    });
    return APPEND.<List<Object>>run(redis, new String[] {key.ownerKey(), key.logKey()},
        args.toArray(new String[0])).thenApply(FencedLog::answer);
  }

  private static Appended answer(List<Object> reply) {
    long accepted = (Long) reply.get(0);
    String detail = (String) reply.get(1);
    return accepted == 1 ? Appended.accepted(detail) : Appended.refused(Holder.parse(detail));
  }
}
