package io.tickrelay.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node's connection to Redis for the lease and the fenced writes. Commands issued while the
 * connection is down are rejected, not queued: Lettuce by default replays them after a reconnect
 * (lettuce-core #466), and a renewal or an append replayed seconds late is exactly what fencing
 * must rule out (scaleout.md §3.1). Every command times out after {@code commandTimeout}. A lost
 * connection is retried every 100 ms growing to 1 s, not Lettuce's default of up to 30 s, so an
 * owner is back within a lease of Redis returning.
 */
public final class RedisEngine implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private RedisEngine(RedisClient client, StatefulRedisConnection<String, String> connection) {
    this.client = client;
    this.connection = connection;
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
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
    try {
      return new RedisEngine(client, client.connect());
    } catch (RuntimeException e) {
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

  public boolean isOpen() {
    return connection.isOpen();
  }

  /** Closes the connection and stops the client's threads (event loops, timers). */
  @Override
  public void close() {
    connection.close();
    ClientResources resources = client.getResources();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    // a client given its resources leaves them running (RedisClient#shutdown javadoc)
    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
