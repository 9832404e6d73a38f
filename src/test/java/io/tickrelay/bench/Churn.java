package io.tickrelay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code churn} phase (issue 15, "memory flat under churn"): clients connect, authenticate,
 * subscribe to one symbol and close, in batches, {@code bench.churn.cycles} times; before and after,
 * the gateway's heap after a full GC, its RSS and the HTTP session objects on its heap. A warm-up
 * of {@code bench.churn.warmup} cycles comes first, so class loading, JIT code and pools that grow
 * once are not counted as growth, and both measurements wait {@code bench.churn.settle} after the
 * last close, so timers that end on their own are not counted either.
 */
final class Churn {

  /** A batch of cycles: connect {@code n} clients, subscribe them, close them; how many subscribed. */
  interface Batch {
    int run(int n, int first) throws InterruptedException;
  }

  /** HTTP session classes: Open Liberty's in-memory session, and Catalina's (Payara). */
  static final String[] SESSION_CLASSES = {
    "com.ibm.ws.session.store.memory.MemorySession", "org.apache.catalina.session.StandardSession"
  };

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
    long[] cold = memory(g);
    cycles(settings.churnWarmup, 0);
    Thread.sleep(settings.churnSettle.toMillis()); // see settle below
    long[] before = memory(g);
    Map<String, long[]> classesBefore = g.histogram();
    long started = System.nanoTime();
    int subscribed = cycles(settings.churnCycles, settings.churnWarmup);
    double seconds = (System.nanoTime() - started) / 1e9;
    // settle: timers of closed clients (the auth deadline, cancelled but queued in the container's
    // scheduler until it would have fired) leave within the auth timeout; they are transient, not kept
    Thread.sleep(settings.churnSettle.toMillis());
    long[] after = memory(g);
    Map<String, long[]> classesAfter = g.histogram();
    r.put("grown_classes", grown(classesBefore, classesAfter, 15));
    r.put("grown_gateway_classes", grown(gateway(classesBefore), gateway(classesAfter), 15));
    r.put("cycles", settings.churnCycles);
    r.put("warmup", settings.churnWarmup);
    r.put("settle", settings.churnSettle.toString());
    r.put("subscribed", subscribed);
    r.put("seconds", seconds);
    r.put("cycles_per_second", settings.churnCycles / seconds);
    r.put("heap_cold_bytes", cold[0]);
    r.put("rss_cold_bytes", cold[1]);
    r.put("sessions_cold", cold[2]);
    r.put("heap_before_bytes", before[0]);
    r.put("heap_after_bytes", after[0]);
    r.put("rss_before_bytes", before[1]);
    r.put("rss_after_bytes", after[1]);
    r.put("sessions_before", before[2]);
    r.put("sessions_after", after[2]);
    r.put("load_after", Bench.loadAverage());
    System.out.println("bench: " + line(r));
    System.out.println("bench: churn: live bytes grown most, per class: " + r.get("grown_classes"));
    System.out.println("bench: churn: the gateway's own classes grown most: " + r.get("grown_gateway_classes"));
    return r;
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

  /** Heap after a full GC, RSS, and HTTP session objects on the heap. */
  private static long[] memory(GatewayProcess g) throws Exception {
    g.gc();
    Thread.sleep(1000); // let the heap metric and RSS settle after the collection
    g.gc();
    return new long[] {g.usedHeapBytes(), g.rssBytes(), g.instances(SESSION_CLASSES)};
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
    return String.format(
        "churn: %d cycles (%s subscribed) in %.0f s, after %s warm-up: heap %.1f -> %.1f MB,"
            + " RSS %.1f -> %.1f MB, HTTP sessions %s -> %s (cold start: heap %.1f MB, RSS %.1f MB)",
        (Integer) r.get("cycles"), r.get("subscribed"), (Double) r.get("seconds"),
        r.get("warmup"), mb(r, "heap_before_bytes"), mb(r, "heap_after_bytes"),
        mb(r, "rss_before_bytes"), mb(r, "rss_after_bytes"), r.get("sessions_before"),
        r.get("sessions_after"), mb(r, "heap_cold_bytes"), mb(r, "rss_cold_bytes"));
  }

  private static double mb(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).longValue() / 1e6;
  }
}
