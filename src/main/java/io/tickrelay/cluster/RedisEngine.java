package io.tickrelay.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;

/**
 * One node's connection to Redis for the lease and the fenced writes. Commands issued while the
 * connection is down are rejected, not queued: Lettuce by default replays them after a reconnect
 * (lettuce-core #466), and a renewal or an append replayed seconds late is exactly what fencing
 * must rule out (scaleout.md §3.1). Every command times out after {@code commandTimeout}.
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
    RedisClient client = RedisClient.create(uri);
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
      throw e;
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
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
