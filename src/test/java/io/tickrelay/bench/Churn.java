package io.tickrelay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code churn} phase (issue 15, "memory flat under churn"): clients connect, authenticate,
 * subscribe to one symbol and close, in batches, {@code bench.churn.cycles} times; before, after and
 * at {@code bench.churn.checkpoints} points between, a {@link MemorySnapshot} (heap after a full GC,
 * RSS, native memory, threads, sessions), so growth that levels off can be told from a leak. A warm-up
 * of {@code bench.churn.warmup} cycles comes first, so class loading, JIT code and pools that grow
 * once are not counted as growth, and both measurements wait {@code bench.churn.settle} after the
 * last close, so timers that end on their own are not counted either.
 */
final class Churn {

  /** A batch of cycles: connect {@code n} clients, subscribe them, close them; how many subscribed. */
  interface Batch {
    int run(int n, int first) throws InterruptedException;
  }

  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final Settings settings;
  private final Optional<GatewayProcess> gateway;
  private final Batch batch;

  Churn(Settings settings, Optional<GatewayProcess> gateway, Batch batch) {
    this.settings = settings;
    this.gateway = gateway;
    this.batch = batch;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("phase", "churn");
    r.put("target", settings.gatewayUrl());
    r.put("load_before", Bench.loadAverage());
    if (gateway.isEmpty()) {
      r.put("note", "gateway process not found: memory not measured");
      return r;
    }
    GatewayProcess g = gateway.get();
    MemorySnapshot cold = MemorySnapshot.take(g, 0, false);
    cycles(settings.churnWarmup, 0);
    Thread.sleep(settings.churnSettle.toMillis()); // see settle below
    MemorySnapshot before = snapshot(g, 0);
    Map<String, long[]> classesBefore = g.histogram();
    List<MemorySnapshot> snapshots = new ArrayList<>(List.of(before));
    long started = System.nanoTime();
    double seconds = 0;
    int subscribed = 0;
    int done = 0;
    for (int k = 1; k <= settings.churnCheckpoints; k++) {
      int upTo = (int) ((long) settings.churnCycles * k / settings.churnCheckpoints);
      long leg = System.nanoTime();
      subscribed += cycles(upTo - done, settings.churnWarmup + done);
      seconds += (System.nanoTime() - leg) / 1e9;
      done = upTo;
      // settle: timers of closed clients (the auth deadline, cancelled but queued in the container's
      // scheduler until it would have fired) leave within the auth timeout; they are transient
      Thread.sleep(settings.churnSettle.toMillis());
      snapshots.add(snapshot(g, done));
    }
    MemorySnapshot after = snapshots.get(snapshots.size() - 1);
    Map<String, long[]> classesAfter = g.histogram();
    r.put("grown_classes", grown(classesBefore, classesAfter, 15));
    r.put("grown_gateway_classes", grown(gateway(classesBefore), gateway(classesAfter), 15));
    r.put("native_growth", after.nativeGrowth(before));
    r.put("cycles", settings.churnCycles);
    r.put("warmup", settings.churnWarmup);
    r.put("settle", settings.churnSettle.toString());
    r.put("subscribed", subscribed);
    r.put("seconds", seconds);
    r.put("wall_seconds", (System.nanoTime() - started) / 1e9);
    r.put("cycles_per_second", settings.churnCycles / seconds);
    r.put("heap_cold_bytes", cold.heapUsed());
    r.put("rss_cold_bytes", cold.rss());
    r.put("heap_before_bytes", before.heapUsed());
    r.put("heap_after_bytes", after.heapUsed());
    r.put("rss_before_bytes", before.rss());
    r.put("rss_after_bytes", after.rss());
    r.put("sessions_before", before.httpSessions());
    r.put("sessions_after", after.httpSessions());
    r.put("snapshots", snapshots.stream().map(MemorySnapshot::asMap).toList());
    r.put("load_after", Bench.loadAverage());
    System.out.println("bench: " + line(r));
    System.out.println("bench: churn: native memory (NMT) grown: " + r.get("native_growth"));
    System.out.println("bench: churn: live bytes grown most, per class: " + r.get("grown_classes"));
    System.out.println("bench: churn: the gateway's own classes grown most: " + r.get("grown_gateway_classes"));
    return r;
  }

  private MemorySnapshot snapshot(GatewayProcess g, int cycles) throws Exception {
    MemorySnapshot s = MemorySnapshot.take(g, cycles, settings.churnTrim, settings.churnMallocInfo);
    System.out.println("bench: churn: " + s.line());
    return s;
  }

  private int cycles(int total, int offset) throws Exception {
    int subscribed = 0;
    for (int done = 0; done < total; ) {
      int n = Math.min(settings.churnBatch, total - done);
      subscribed += batch.run(n, offset + done);
      done += n;
      awaitNoClients();
    }
    return subscribed;
  }

  /** Waits until the gateway has seen every close, so a batch never overlaps the next. */
  private void awaitNoClients() throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (connectedClients(gateway.get()) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("clients still connected " + SETTLE + " after closing");
      }
      Thread.sleep(20); // a benchmark harness polling a live server, not a test
    }
  }

  private static long connectedClients(GatewayProcess g) throws Exception {
    for (String line : g.get("/metrics?scope=application").split("\n")) {
      if (line.startsWith("tickrelay_clients_connected")) {
        String[] parts = line.trim().split(" ");
        return (long) Double.parseDouble(parts[parts.length - 1]);
      }
    }
    throw new IllegalStateException("no tickrelay_clients_connected in /metrics");
  }

  private static Map<String, long[]> gateway(Map<String, long[]> classes) {
    Map<String, long[]> ours = new java.util.HashMap<>();
    classes.forEach((name, figures) -> {
      if (name.startsWith("io.tickrelay.")) {
        ours.put(name.replaceAll("/0x[0-9a-f]+$", ""), figures);
      }
    });
    return ours;
  }

  /** The classes whose live bytes grew most, as "bytes instances class", largest first. */
  static List<String> grown(Map<String, long[]> before, Map<String, long[]> after, int top) {
    List<String> grown = new ArrayList<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), new long[] {
            e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1],
            e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0]}))
        .filter(e -> e.getValue()[0] > 0)
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .limit(top)
        .forEach(e -> grown.add(String.format("%+d B %+d %s", e.getValue()[0], e.getValue()[1], e.getKey())));
    return grown;
  }

  static String line(Map<String, Object> r) {
    if (!r.containsKey("cycles")) {
      return "churn: " + r.get("note");
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> snapshots = (List<Map<String, Object>>) r.get("snapshots");
    Map<String, Object> before = snapshots.get(0);
    Map<String, Object> after = snapshots.get(snapshots.size() - 1);
    return String.format(
        "churn: %d cycles (%s subscribed) in %.0f s, after %s warm-up: heap %.1f -> %.1f MB,"
            + " RSS %.1f -> %.1f MB, NMT committed %s -> %s, threads %s -> %s, sessions"
            + " HTTP %s -> %s, WebSocket %s -> %s, ClientSession %s -> %s"
            + " (cold start: heap %.1f MB, RSS %.1f MB)",
        (Integer) r.get("cycles"), r.get("subscribed"), (Double) r.get("seconds"),
        r.get("warmup"), mb(before, "heap_used_bytes"), mb(after, "heap_used_bytes"),
        mb(before, "rss_bytes"), mb(after, "rss_bytes"), nmt(before), nmt(after),
        before.get("threads"), after.get("threads"), before.get("http_sessions"),
        after.get("http_sessions"), before.get("websocket_sessions"),
        after.get("websocket_sessions"), before.get("client_sessions"),
        after.get("client_sessions"), mb(r, "heap_cold_bytes"), mb(r, "rss_cold_bytes"));
  }

  private static String nmt(Map<String, Object> snapshot) {
    Object total = ((Map<?, ?>) snapshot.get("nmt_committed_kb")).get("Total");
    return total == null ? "off" : String.format("%.1f MB", ((Number) total).longValue() * 1024 / 1e6);
  }

  private static double mb(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).longValue() / 1e6;
  }
}
