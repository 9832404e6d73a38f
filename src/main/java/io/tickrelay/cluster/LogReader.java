package io.tickrelay.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows one upstream stream's log ({@link FencedLog}) on a dedicated connection and thread:
 * {@code XREAD BLOCK} from the last delivered id, without consumer groups (every node reads every
 * entry; scaleout.md §4.4), handing entries in order to a {@link LogListener}. It never skips
 * silently: a jump in the numbers (the log was capped past this reader) and a lost numbering
 * (Redis restarted empty: the epoch is gone or new) are reported as {@link LogGap}s before the
 * next entry. The epoch is checked on every entry, and against the numbering's hash after every
 * empty {@code BLOCK} and every reconnect, because an {@code XREAD} from an id of a lost epoch
 * would otherwise wait forever (socket.io-redis-streams-adapter #32, scaleout.md §8).
 *
 * <p>When Redis is unreachable it retries with a doubling delay and resumes from its position.
 * {@link #close()} stops it and waits for its thread to end.
 */
public final class LogReader implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LogReader.class.getName());

  /** How a reader polls: its {@code BLOCK} and {@code COUNT}, and its retry delays. */
  public record Settings(Duration block, int count, Duration retryMin, Duration retryMax) {

    /** One-second blocks (the epoch check's period), 1000 entries a read, 50 ms to 2 s retries. */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(1), 1000, Duration.ofMillis(50), Duration.ofSeconds(2));

    public Settings {
      if (block.isNegative() || block.isZero() || block.compareTo(RedisEngine.MAX_BLOCK) > 0
          || count < 1 || retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) {
        throw new IllegalArgumentException("need 0 < block <= " + RedisEngine.MAX_BLOCK
            + ", count >= 1, 0 <= retryMin <= retryMax");
      }
    }

    /** {@code retryMin} doubling per failure in a row, up to {@code retryMax}. */
    Duration retry(int failures) {
      int doublings = Math.min(Math.max(failures, 1) - 1, 20);
      Duration delay = retryMin.multipliedBy(1L << doublings);
      return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }
  }

  private final StatefulRedisConnection<String, byte[]> connection;
  private final UpstreamKey key;
  private final LogListener listener;
  private final Settings settings;
  private final Thread thread;
  private volatile boolean running = true;
  // touched only by the reader's thread, published through the volatile position
  private String epoch;
  private long last;
  private String abandoned; // an epoch that went back: none of its entries is delivered any more
  private volatile LogPosition position;

  private LogReader(StatefulRedisConnection<String, byte[]> connection, UpstreamKey key,
      LogPosition from, LogListener listener, Settings settings, ThreadFactory threads) {
    this.connection = Objects.requireNonNull(connection);
    this.key = Objects.requireNonNull(key);
    this.listener = Objects.requireNonNull(listener);
    this.settings = Objects.requireNonNull(settings);
    this.position = Objects.requireNonNull(from);
    this.epoch = from.epoch();
    this.last = from.seq();
    this.thread = threads.newThread(this::run);
  }

  /**
   * Starts reading after {@code from} on {@code connection} ({@link RedisEngine#connectReader()}),
   * which the reader owns from now on and closes when it stops.
   *
   * @param threads makes the one thread (the container's managed thread factory in the gateway)
   */
  public static LogReader start(StatefulRedisConnection<String, byte[]> connection,
      UpstreamKey key, LogPosition from, LogListener listener, Settings settings,
      ThreadFactory threads) {
    LogReader reader = new LogReader(connection, key, from, listener, settings, threads);
    reader.thread.start();
    return reader;
  }

  /** The last entry delivered or gap reported (the start position before either). */
  public LogPosition position() {
    return position;
  }

  /** Stops reading: wakes the thread from a block or a retry wait, closes the connection. */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
    if (thread.isAlive()) {
      LOG.warning(() -> "log reader of " + key.logKey() + " did not stop within 5 s");
    }
  }

  private void run() {
    RedisAsyncCommands<String, byte[]> redis = connection.async();
    int failures = 0;
    boolean check = true;
    while (running) {
      try {
        if (check) {
          checkNumbering(redis);
          check = false;
        }
        List<StreamMessage<String, byte[]>> entries = await(redis.xread(
            XReadArgs.Builder.block(settings.block()).count(settings.count()),
            XReadArgs.StreamOffset.from(key.logKey(), Math.max(last, 0) + "-0")));
        if (failures > 0) {
          LOG.info(() -> "log reader of " + key.logKey() + " reads again at " + position);
          failures = 0;
        }
        if (entries == null || entries.isEmpty()) {
          check = true; // quiet for a whole block: is the numbering still ours?
          continue;
        }
        for (StreamMessage<String, byte[]> entry : entries) {
          take(entry);
        }
      } catch (InterruptedException e) {
        break; // close()
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        if (!running) {
          break;
        }
        failures++;
        check = true;
        logFailure(failures, e);
        try {
          Thread.sleep(settings.retry(failures).toMillis()); // backoff before retrying Redis
        } catch (InterruptedException stop) {
          break;
        }
      }
    }
  }

  /** Where the numbering stands in Redis: a missing or changed epoch means the log was lost. */
  private void checkNumbering(RedisAsyncCommands<String, byte[]> redis)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<KeyValue<String, byte[]>> meta = await(redis.hmget(key.metaKey(), "e", "s"));
    String current = meta.get(0).hasValue() ? text(meta.get(0).getValue()) : null;
    if (last == -1) { // LATEST: begin at the head as it is now
      epoch = current;
      last = current == null ? 0 : Long.parseLong(text(meta.get(1).getValue()));
      position = new LogPosition(epoch, last);
      return;
    }
    if (epoch != null && !epoch.equals(current)) {
      lost();
    } else if (epoch != null && Long.parseLong(text(meta.get(1).getValue())) < last) {
      // the same epoch with fewer numbers: Redis lost acknowledged writes and the numbers past
      // its head may be handed out again for other events. Never deliver those: the epoch is
      // over for this reader (a writer that passes what it saw starts a new one, FencedLog)
      LOG.warning(() -> "log " + key.logKey() + " went back below " + last + " in epoch " + epoch);
      abandoned = epoch;
      lost();
    } else if (epoch == null && abandoned != null && !abandoned.equals(current)) {
      abandoned = null; // the new epoch's log begins at 1
      last = 0;
    }
  }

  private void take(StreamMessage<String, byte[]> message) {
    Map<String, byte[]> body = message.getBody();
    String id = message.getId();
    long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
    String entryEpoch = text(body.get("e"));
    int count = Integer.parseInt(text(body.get("n")));
    if (abandoned != null) {
      if (abandoned.equals(entryEpoch)) {
        last = seq + count - 1; // reported lost already: skip it, keep reading past it
        return;
      }
      abandoned = null;
      last = 0;
    }
    if (epoch != null && !epoch.equals(entryEpoch)) {
      lost(); // the numbering began again between two reads of ours
    }
    epoch = entryEpoch;
    if (seq > last + 1) {
      report(new LogGap(epoch, last + 1, seq - 1, LogGap.Reason.TRIMMED));
    }
    try {
      LogEntry entry = new LogEntry(epoch, seq, count, EventCodec.decode(body.get("d")));
      deliver(entry);
    } catch (UnreadableEntry e) {
      LOG.warning(() -> "log " + key.logKey() + " entry " + id + " skipped: " + e.getMessage());
      report(new LogGap(epoch, seq, seq + count - 1, LogGap.Reason.UNREADABLE));
    }
    last = seq + count - 1;
    position = new LogPosition(epoch, last);
  }

  /** The rest of the current epoch is gone: report it and expect a new epoch from 1. */
  private void lost() {
    report(new LogGap(epoch, last + 1, LogGap.REST, LogGap.Reason.DATA_LOST));
    epoch = null;
    last = 0;
    position = LogPosition.START;
  }

  private void deliver(LogEntry entry) {
    try {
      listener.entry(entry);
    } catch (RuntimeException e) { // the listener's bug must not stop the log for this node
      LOG.log(Level.WARNING, "log listener of " + key.logKey() + " failed on " + entry.id(), e);
    }
  }

  private void report(LogGap gap) {
    LOG.info(() -> "log " + key.logKey() + ": " + gap);
    try {
      listener.gap(gap);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "log listener of " + key.logKey() + " failed on " + gap, e);
    }
  }

  // the command's own timeout (RedisEngine: command timeout + MAX_BLOCK) ends it first; this one
  // only bounds a wait should that ever not happen
  private <T> T await(io.lettuce.core.RedisFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(RedisEngine.MAX_BLOCK.toMillis() + settings.block().toMillis() + 10_000,
        TimeUnit.MILLISECONDS);
  }

  private void logFailure(int failures, Exception e) {
    if (failures == 1) { // once per outage, not once per retry; no URL (it may hold a password)
      LOG.warning(() -> "log reader of " + key.logKey() + " cannot read Redis, retrying: " + e);
    }
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
