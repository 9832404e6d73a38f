package io.tickrelay.status;

import io.tickrelay.admission.ClientAdmission;
import io.tickrelay.admission.Refusal;
import io.tickrelay.distribution.ClientFigures;
import io.tickrelay.distribution.ClientSessions;
import io.tickrelay.metrics.Metrics;
import io.tickrelay.upstream.UpstreamConnections;
import io.tickrelay.upstream.UpstreamState;
import io.tickrelay.upstream.UpstreamStateChanged;
import io.tickrelay.upstream.UpstreamStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The {@code tickrelay_} series at {@code /metrics}. They are gauges read from the same figures
 * status shows, at scrape time, so the hot path pays nothing for them; monotonic counts are
 * gauges whose description says "since start" (they were MicroProfile Metrics gauges before the WAR
 * served /metrics itself, and keep their names and types).
 */
@ApplicationScoped
public class GatewayMetrics {

  @Inject Metrics metrics;
  @Inject UpstreamConnections upstreams;
  @Inject ClientSessions clients;
  @Inject ClientAdmission admission;

  private final Set<String> registeredConnections = ConcurrentHashMap.newKeySet();

  void start(@Observes Startup startup) {
    client("tickrelay_clients_connected", "Open client connections", ClientFigures::connected);
    client("tickrelay_clients_authenticated", "Authenticated client connections",
        ClientFigures::authenticated);
    client("tickrelay_clients_messages_sent", "Data messages sent to clients since start",
        ClientFigures::messagesSent);
    client("tickrelay_clients_frames_sent", "Data frames sent to clients since start",
        ClientFigures::framesSent);
    client("tickrelay_clients_messages_conflated",
        "Quotes and bars replaced by newer ones for clients behind, since start",
        ClientFigures::conflated);
    client("tickrelay_clients_messages_dropped",
        "Messages dropped with a client cut off or closed, since start", ClientFigures::dropped);
    client("tickrelay_clients_slow_disconnects",
        "Clients cut off with 407 slow client since start", ClientFigures::slowClientDisconnects);
    client("tickrelay_clients_flood_closures",
        "Clients closed for flooding control messages since start", ClientFigures::floodClosures);
    client("tickrelay_clients_writes_blocked",
        "Clients moved to asynchronous sends by a blocking write that blocked, since start",
        ClientFigures::writesBlocked);
    client("tickrelay_clients_blocked_writers",
        "Writer threads held by a blocked write right now", ClientFigures::blockedWriters);
    for (Refusal refusal : Refusal.values()) {
      metrics.gauge("tickrelay_clients_refusals",
          "Client refusals of one kind since start, every client path together",
          () -> admission.admission().refusals().get(refusal), "kind", refusal.key());
    }
    jvm();
    upstreams.statuses().forEach(s -> upstream(s.connection(), s.provider(), s.stream()));
  }

  /** Connections appear at run time; each gets its series when it first changes state. */
  void onStateChanged(@Observes UpstreamStateChanged change) {
    upstream(change.connection(), change.provider(), change.stream());
  }

  private void upstream(String connection, String provider, String stream) {
    if (!registeredConnections.add(connection)) {
      return;
    }
    String[] tag = {"connection", connection, "provider", provider, "stream", stream};
    gauge("tickrelay_upstream_connected", "1 while the upstream is authenticated and live",
        connection, s -> s.live() ? 1 : 0, tag);
    gauge("tickrelay_upstream_messages_received",
        "Market-data messages received from the upstream since start", connection,
        UpstreamStatus::messagesIn, tag);
    gauge("tickrelay_upstream_bytes_received", "Bytes received from the upstream since start",
        connection, UpstreamStatus::bytesIn, tag);
    gauge("tickrelay_upstream_reconnects", "Upstream failures followed by a reconnect since start",
        connection, UpstreamStatus::reconnects, tag);
    gauge("tickrelay_upstream_consecutive_failures", "Upstream failures since data last flowed",
        connection, UpstreamStatus::consecutiveFailures, tag);
    gauge("tickrelay_upstream_ping_rtt_seconds", "Last WebSocket ping round trip", connection,
        s -> s.pingRoundTrip() == null ? Double.NaN : s.pingRoundTrip().toNanos() / 1e9, tag);
    for (UpstreamState state : UpstreamState.values()) {
      gauge("tickrelay_upstream_state", "1 for the state the upstream is in, 0 for the others",
          connection, s -> s.state() == state ? 1 : 0, with(tag, "state", state.name()));
    }
  }

  private void gauge(
      String name, String description, String connection, ToDoubleFunction<UpstreamStatus> value,
      String... labels) {
    metrics.gauge(name, description,
        () -> find(upstreams, connection).map(value::applyAsDouble).orElse(Double.NaN), labels);
  }

  private static String[] with(String[] labels, String name, String value) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
    all[labels.length] = name;
    all[labels.length + 1] = value;
    return all;
  }

  private void client(String name, String description, ToDoubleFunction<ClientFigures> value) {
    metrics.gauge(name, description, () -> value.applyAsDouble(clients.figures()));
  }

  /** The JVM's own figures the bench and an operator read (the server's base metrics are gone). */
  private void jvm() {
    var memory = ManagementFactory.getMemoryMXBean();
    var threads = ManagementFactory.getThreadMXBean();
    metrics.gauge("tickrelay_jvm_heap_used_bytes", "Heap in use",
        () -> memory.getHeapMemoryUsage().getUsed());
    metrics.gauge("tickrelay_jvm_heap_committed_bytes", "Heap the JVM holds from the OS, used or not",
        () -> memory.getHeapMemoryUsage().getCommitted());
    metrics.gauge("tickrelay_jvm_heap_max_bytes", "Most heap the JVM may use (-1 when unbounded)",
        () -> memory.getHeapMemoryUsage().getMax());
    metrics.gauge("tickrelay_jvm_threads", "Live JVM threads, the server's included",
        threads::getThreadCount);
  }

  /** Statuses taken once per scrape, not once per gauge (review L2: O(connections²) per scrape). */
  private record Snapshot(long atNanos, List<UpstreamStatus> statuses) {}

  private static final long SNAPSHOT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
  private volatile Snapshot snapshot = new Snapshot(System.nanoTime() - SNAPSHOT_NANOS, List.of());

  private Optional<UpstreamStatus> find(UpstreamConnections upstreams, String connection) {
    Snapshot taken = snapshot;
    long now = System.nanoTime();
    if (now - taken.atNanos() >= SNAPSHOT_NANOS) {
      taken = new Snapshot(now, upstreams.statuses());
      snapshot = taken;
    }
    return taken.statuses().stream().filter(s -> s.connection().equals(connection)).findFirst();
  }
}
