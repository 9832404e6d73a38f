package io.tickrelay.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node's connections to Redis: text for the lease and the demand, binary for the data plane's
 * fenced appends, and a dedicated connection per log reader. Commands issued while a connection
 * is down are rejected, not queued: Lettuce by default replays them after a reconnect
 * (lettuce-core #466), and a renewal or an append replayed seconds late is exactly what fencing
 * must rule out (scaleout.md §3.1). Every command times out after {@code commandTimeout}, a
 * blocking read ({@code XREAD BLOCK}) after at most {@link #MAX_BLOCK} more. A lost connection is
 * retried every 100 ms growing to 1 s, not Lettuce's default of up to 30 s, so an owner is back
 * within a lease of Redis returning.
 */
public final class RedisEngine implements AutoCloseable {

  /** The longest {@code BLOCK} a reader may ask for; its command timeout allows for it. */
  public static final Duration MAX_BLOCK = Duration.ofSeconds(2);

  /** Keys as UTF-8 text, values as raw bytes (the log's payloads, msgpack). */
  static final RedisCodec<String, byte[]> BINARY =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisConnection<String, byte[]> data;

  private RedisEngine(RedisClient client, StatefulRedisConnection<String, String> connection,
      StatefulRedisConnection<String, byte[]> data) {
    this.client = client;
    this.connection = connection;
    this.data = data;
  }

  /**
   * Connects now ({@code redis://}, {@code rediss://} or {@code redis-sentinel://}, as
   * {@code RedisURI.create} reads them); fails if Redis cannot be reached.
   */
  public static RedisEngine connect(String url, Duration commandTimeout) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(commandTimeout);
    ClientResources resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
        .timeoutOptions(TimeoutOptions.builder()
            .timeoutSource(new BlockingReadsWaitLonger(commandTimeout)).build())
        .build());
    StatefulRedisConnection<String, String> text = null;
    try {
      text = client.connect();
      return new RedisEngine(client, text, client.connect(BINARY));
    } catch (RuntimeException e) {
      if (text != null) {
        text.close();
      }
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Where {@code url} points, for logs and status: scheme and host:port (every sentinel's), never
   * the password or the rest; "(not a Redis URL)" when it does not parse.
   */
  public static String describe(String url) {
    try {
      RedisURI uri = RedisURI.create(url);
      if (!uri.getSentinels().isEmpty()) {
        return "redis-sentinel://" + uri.getSentinels().stream()
            .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(","))
            + " (master " + uri.getSentinelMasterId() + ")";
      }
      return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
    } catch (RuntimeException e) {
      return "(not a Redis URL)";
    }
  }

  public RedisAsyncCommands<String, String> commands() {
    return connection.async();
  }

  /** The binary connection the owner appends on ({@link FencedLog}). */
  public RedisAsyncCommands<String, byte[]> data() {
    return data.async();
  }

  /**
   * A new binary connection for one blocking reader ({@link LogReader}), which owns and closes it:
   * a blocked {@code XREAD} holds its connection, so it must not share one with other commands
   * (scaleout.md §3.1 and §8, lettuce #1179).
   */
  public StatefulRedisConnection<String, byte[]> connectReader() {
    return client.connect(BINARY);
  }

  public boolean isOpen() {
    return connection.isOpen() && data.isOpen();
  }

  /** Closes the connections and stops the client's threads (event loops, timers). */
  @Override
  public void close() {
    connection.close();
    data.close();
    ClientResources resources = client.getResources();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    // a client given its resources leaves them running (RedisClient#shutdown javadoc)
    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  /** The command timeout, plus {@link #MAX_BLOCK} for {@code XREAD} (which may block). */
  private static final class BlockingReadsWaitLonger extends TimeoutOptions.TimeoutSource {

    private final long normalMillis;

    BlockingReadsWaitLonger(Duration commandTimeout) {
      this.normalMillis = commandTimeout.toMillis();
    }

    @Override
    public long getTimeout(RedisCommand<?, ?, ?> command) {
      return command.getType() == CommandType.XREAD
          ? normalMillis + MAX_BLOCK.toMillis() : normalMillis;
    }

    @Override
    public TimeUnit getTimeUnit() {
      return TimeUnit.MILLISECONDS;
    }
  }
}
