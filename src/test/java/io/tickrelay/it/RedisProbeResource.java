package io.tickrelay.it;

import io.lettuce.core.RedisClient;
import io.tickrelay.cluster.Appended;
import io.tickrelay.cluster.FencedLog;
import io.tickrelay.cluster.Lease;
import io.tickrelay.cluster.RedisEngine;
import io.tickrelay.cluster.UpstreamKey;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * IT-only (ClusterIT adds it to the deployed WAR; the product WAR has no such endpoint): runs the
 * cluster package's lease and fenced append through Lettuce, Netty and Reactor as loaded inside
 * the server, against the test's redis-server on loopback, without turning clustering on for the
 * gateway.
 */
@Path("it/redis-probe")
@RequestScoped
public class RedisProbeResource {

  static final UpstreamKey KEY = new UpstreamKey("it", "probe", "/probe");

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public String probe(@QueryParam("port") int port) throws Exception {
    if (port <= 0 || port > 65535) {
      throw new BadRequestException("port");
    }
    try (RedisEngine engine = RedisEngine.connect("redis://127.0.0.1:" + port,
        Duration.ofSeconds(5))) {
      Lease lease = new Lease(engine.commands(), KEY, "it-node:" + UUID.randomUUID(),
          Duration.ofSeconds(30), Duration.ofSeconds(10), Clock.systemUTC());
      long term = lease.acquire().toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
      Appended appended = new FencedLog(engine.data(), 100)
          .append(KEY, lease.fence(), 1,
              "from inside the server".getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      return "term=" + term + "\naccepted=" + appended.accepted()
          + "\nlettuce=" + origin(RedisClient.class)
          + "\nnetty=" + origin(io.netty.channel.Channel.class)
          + "\nreactor=" + origin(reactor.core.publisher.Mono.class) + "\n";
    }
  }

  /** Names of the server's threads that look like Lettuce's or Netty's, after the probe closed. */
  @GET
  @Path("threads")
  @Produces(MediaType.TEXT_PLAIN)
  public String threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.toLowerCase(Locale.ROOT).contains("lettuce"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  private static String origin(Class<?> type) {
    java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? "(server)" : String.valueOf(source.getLocation());
  }
}
