package io.tickrelay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's memory at one point of the churn phase, after two full GCs: what each kind of
 * memory holds, so growth can be told apart (heap kept committed, native memory the JVM tracks,
 * C heap it does not, threads) and sessions the container kept can be counted.
 *
 * @param cycles churn cycles done when taken (warm-up not counted)
 * @param heapUsed used heap after the collections
 * @param heapCommitted heap the JVM holds from the OS
 * @param rss resident set size
 * @param rssTrimmed RSS after {@code System.trim_native_heap} (-1 when not asked for): what
 *     glibc's free lists held is the difference
 * @param nativeKb Native Memory Tracking's committed KB per category and "Total" (empty without
 *     {@code -XX:NativeMemoryTracking})
 * @param rssKb resident KB per kind of mapping ({@link NativeHeap#rssByKind}), before any trim
 * @param malloc glibc's totals ({@link NativeHeap#mallocInfo}: system, free, mmap, arenas), empty
 *     unless asked for
 * @param threads the process's threads
 * @param httpSessions HTTP session objects on the heap
 * @param webSocketSessions the container's WebSocket session objects on the heap
 * @param clientSessions the gateway's {@code ClientSession} objects on the heap
 */
record MemorySnapshot(
    int cycles,
    long heapUsed,
    long heapCommitted,
    long rss,
    long rssTrimmed,
    Map<String, Long> nativeKb,
    Map<String, Long> rssKb,
    Map<String, Long> malloc,
    long threads,
    long httpSessions,
    long webSocketSessions,
    long clientSessions) {

  /** HTTP session classes: Open Liberty's in-memory session, and Catalina's (Payara). */
  static final String[] HTTP_SESSION_CLASSES = {
    "com.ibm.ws.session.store.memory.MemorySession", "org.apache.catalina.session.StandardSession"
  };

  /** WebSocket session classes: Open Liberty's, and Tyrus's (Payara). */
  static final String[] WEBSOCKET_SESSION_CLASSES = {
    "com.ibm.ws.wsoc.SessionImpl", "org.glassfish.tyrus.core.TyrusSession"
  };

  static final String CLIENT_SESSION_CLASS = "io.tickrelay.distribution.ClientSession";

  static MemorySnapshot take(GatewayProcess g, int cycles, boolean trim) throws Exception {
    return take(g, cycles, trim, false);
  }

  static MemorySnapshot take(GatewayProcess g, int cycles, boolean trim, boolean mallocInfo)
      throws Exception {
    g.gc();
    Thread.sleep(1000); // let the heap metric and RSS settle after the collection
    g.gc();
    long used = g.usedHeapBytes();
    long committed = g.committedHeapBytes();
    long rss = g.rssBytes();
    Map<String, Long> nativeKb = g.nativeMemoryKb();
    long threads = g.threads();
    Map<String, Long> rssKb = NativeHeap.rssByKind(g.pid(), NativeHeap.javaHeapRange(g.jcmd("GC.heap_info")));
    Map<String, Long> malloc = mallocInfo
        ? NativeHeap.mallocInfo(g.pid(), java.nio.file.Path.of("target/bench/malloc-info-" + cycles + ".xml"))
        : Map.of();
    long rssTrimmed = trim && g.trimNativeHeap() ? g.rssBytes() : -1;
    Map<String, long[]> histogram = g.histogram(); // a full GC of its own first
    return new MemorySnapshot(cycles, used, committed, rss, rssTrimmed, nativeKb, rssKb, malloc, threads,
        count(histogram, HTTP_SESSION_CLASSES), count(histogram, WEBSOCKET_SESSION_CLASSES),
        count(histogram, CLIENT_SESSION_CLASS));
  }

  private static long count(Map<String, long[]> histogram, String... classNames) {
    if (histogram.isEmpty()) {
      return -1;
    }
    long n = 0;
    for (String name : classNames) {
      n += histogram.getOrDefault(name, new long[2])[0];
    }
    return n;
  }

  long nativeCommittedKb() {
    return nativeKb.getOrDefault("Total", -1L);
  }

  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cycles", cycles);
    m.put("heap_used_bytes", heapUsed);
    m.put("heap_committed_bytes", heapCommitted);
    m.put("rss_bytes", rss);
    m.put("rss_trimmed_bytes", rssTrimmed);
    m.put("nmt_committed_kb", new LinkedHashMap<>(nativeKb));
    m.put("rss_kb", new LinkedHashMap<>(rssKb));
    m.put("malloc", new LinkedHashMap<>(malloc));
    m.put("threads", threads);
    m.put("http_sessions", httpSessions);
    m.put("websocket_sessions", webSocketSessions);
    m.put("client_sessions", clientSessions);
    return m;
  }

  /** One line: every figure, in MB where it is memory. */
  String line() {
    return String.format(
        "%7d cycles: heap used %.1f MB (committed %.1f), RSS %.1f MB%s, NMT committed %s,"
            + " %d threads, sessions: HTTP %d, WebSocket %d, ClientSession %d; RSS by mapping: %s%s",
        cycles, heapUsed / 1e6, heapCommitted / 1e6, rss / 1e6,
        rssTrimmed < 0 ? "" : String.format(" (%.1f after trim)", rssTrimmed / 1e6),
        nativeCommittedKb() < 0 ? "off" : String.format("%.1f MB", nativeCommittedKb() * 1024 / 1e6),
        threads, httpSessions, webSocketSessions, clientSessions, kinds(),
        malloc.isEmpty() ? "" : String.format("; malloc: %.1f MB from the OS, %.1f MB of it free,"
            + " %.1f MB mmapped, %d arenas", malloc.getOrDefault("system", 0L) / 1e6,
            malloc.getOrDefault("free", 0L) / 1e6, malloc.getOrDefault("mmap", 0L) / 1e6,
            malloc.getOrDefault("arenas", 0L)));
  }

  private String kinds() {
    StringBuilder b = new StringBuilder();
    rssKb.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(k.equals("arena_heaps") ? Long.toString(v) : String.format("%.1f MB", v * 1024 / 1e6)));
    return b.toString();
  }

  /** NMT categories whose committed memory changed most from {@code before}, largest first. */
  String nativeGrowth(MemorySnapshot before) {
    StringBuilder b = new StringBuilder();
    nativeKb.entrySet().stream()
        .filter(e -> !e.getKey().equals("Total"))
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.nativeKb.getOrDefault(e.getKey(), 0L)))
        .filter(e -> Math.abs(e.getValue()) >= 256)
        .sorted((x, y) -> Long.compare(Math.abs(y.getValue()), Math.abs(x.getValue())))
        .forEach(e -> b.append(b.length() == 0 ? "" : ", ")
            .append(String.format("%s %+.1f MB", e.getKey(), e.getValue() * 1024 / 1e6)));
    return b.length() == 0 ? "none over 256 KB" : b.toString();
  }
}
