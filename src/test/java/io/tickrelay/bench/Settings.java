package io.tickrelay.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one benchmark run does, from {@code -Dbench.*} system properties (see the README). */
final class Settings {

  String target = prop("bench.target", "ws://localhost:9190");
  String baseline = prop("bench.baseline", target + "/baseline");
  String feed = prop("bench.feed", "iex");
  String key = prop("bench.key", "bench");
  String secret = prop("bench.secret", "bench");
  int upstreamPort = Integer.parseInt(prop("bench.upstream.port", "-1"));
  int upstreamSessions = Integer.parseInt(prop("bench.upstream.sessions", "2"));
  String server = prop("bench.server", "tickrelay-bench");
  String pid = prop("bench.gateway.pid", "");
  List<String> phases = List.of(prop("bench.phases", "idle,load,saturation").split(","));
  int clients = Integer.parseInt(prop("bench.clients", "1000"));
  int symbolsPerClient = Integer.parseInt(prop("bench.symbols.per.client", "10"));
  int symbols = Integer.parseInt(prop("bench.symbols", "100"));
  double rate = Double.parseDouble(prop("bench.rate", "2000"));
  boolean msgpack = prop("bench.format", "json").equalsIgnoreCase("msgpack");
  int durationSeconds = Integer.parseInt(prop("bench.duration", "30"));
  int warmupSeconds = Integer.parseInt(prop("bench.warmup", "30"));
  int drainSeconds = Integer.parseInt(prop("bench.drain", "10"));
  int idleClients = Integer.parseInt(prop("bench.idle.clients", "10000"));
  int saturationClients = Integer.parseInt(prop("bench.saturation.clients", "1000"));
  int saturationSymbols = Integer.parseInt(prop("bench.saturation.symbols", "10"));
  double[] saturationRates = Arrays.stream(prop("bench.saturation.rates", "100,200,400,800")
      .split(",")).mapToDouble(Double::parseDouble).toArray();
  int tickMillis = Integer.parseInt(prop("bench.tick.ms", "5"));
  int clientThreads = Integer.parseInt(prop("bench.client.threads", "1"));
  int connectConcurrency = Integer.parseInt(prop("bench.connect.concurrency", "200"));
  int connectTimeoutSeconds = Integer.parseInt(prop("bench.connect.timeout", "180"));
  int churnCycles = Integer.parseInt(prop("bench.churn.cycles", "100000"));
  int churnBatch = Integer.parseInt(prop("bench.churn.batch", "500"));
  int churnWarmup = Integer.parseInt(prop("bench.churn.warmup", "5000"));
  java.time.Duration churnSettle = java.time.Duration.parse(prop("bench.churn.settle", "PT15S"));
  int churnCheckpoints = Integer.parseInt(prop("bench.churn.checkpoints", "4"));
  boolean churnTrim = Boolean.parseBoolean(prop("bench.churn.trim", "false"));
  boolean churnMallocInfo = Boolean.parseBoolean(prop("bench.churn.mallocinfo", "false"));
  String out = prop("bench.out", "target/bench/results.json");

  static Settings fromSystemProperties() {
    return new Settings();
  }

  private static String prop(String name, String fallback) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  String gatewayUrl() {
    return target + "/v2/" + feed;
  }

  /** Null when the run has no baseline ({@code -Dbench.baseline=none}). */
  String baselineUrl() {
    return baseline.equals("none") ? null : baseline + "/v2/" + feed;
  }

  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", gatewayUrl());
    m.put("baseline", baselineUrl());
    m.put("phases", String.join(",", phases));
    m.put("clients", clients);
    m.put("symbols_per_client", symbolsPerClient);
    m.put("symbols", symbols);
    m.put("rate", rate);
    m.put("format", msgpack ? "msgpack" : "json");
    m.put("duration_seconds", durationSeconds);
    m.put("warmup_seconds", warmupSeconds);
    m.put("idle_clients", idleClients);
    m.put("saturation_clients", saturationClients);
    m.put("saturation_symbols", saturationSymbols);
    m.put("saturation_rates", Arrays.toString(saturationRates));
    m.put("driver_tick_ms", tickMillis);
    m.put("client_threads", clientThreads);
    if (phases.contains("churn")) {
      m.put("churn_cycles", churnCycles);
      m.put("churn_batch", churnBatch);
      m.put("churn_warmup", churnWarmup);
      m.put("churn_settle", churnSettle.toString());
      m.put("churn_checkpoints", churnCheckpoints);
      m.put("churn_trim", churnTrim);
      m.put("churn_mallocinfo", churnMallocInfo);
    }
    return m;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
