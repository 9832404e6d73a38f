package io.tickrelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway's JVM as Linux and the JDK see it: RSS and CPU time from /proc/{pid}, a full GC
 * through {@code jcmd}, and the used heap from its /metrics. Linux only.
 */
final class GatewayProcess {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)
  // "Total: reserved=..KB, committed=..KB" and "-  Java Heap (reserved=..KB, committed=..KB)"
  private static final Pattern NMT_LINE = Pattern.compile(
      "(?m)^(?:(Total):|-\\s+([A-Za-z ]+?) \\() ?reserved=\\d+KB, committed=(\\d+)KB");

  private final long pid;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  private GatewayProcess(long pid, URI base) {
    this.pid = pid;
    this.base = base;
  }

  /**
   * The Liberty server named {@code server} (its JVM runs {@code ws-server.jar <server>}), or the
   * given pid; empty when neither is found, e.g. a remote target.
   */
  static Optional<GatewayProcess> find(String pid, String server, URI base) throws IOException {
    if (pid != null && !pid.isBlank()) {
      return Optional.of(new GatewayProcess(Long.parseLong(pid.trim()), base));
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          List<String> args = List.of(Files.readString(p.resolve("cmdline")).split("\0"));
          int jar = indexOfEnding(args, "ws-server.jar");
          // same server name in another checkout is another gateway: it must run from this one
          if (jar >= 0 && jar + 1 < args.size() && args.get(jar + 1).equals(server)
              && args.get(jar).startsWith(System.getProperty("user.dir") + "/")) {
            return Optional.of(new GatewayProcess(Long.parseLong(name), base));
          }
        } catch (IOException | RuntimeException e) { // a process that ended while we looked
          continue;
        }
      }
    }
    return Optional.empty();
  }

  private static int indexOfEnding(List<String> args, String suffix) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).endsWith(suffix)) {
        return i;
      }
    }
    return -1;
  }

  long pid() {
    return pid;
  }

  /** Resident set size in bytes. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** The process's thread count ({@code Threads:} in /proc/{pid}/status). */
  long threads() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /**
   * Native Memory Tracking's committed kilobytes per category, and the total under "Total"
   * ({@code jcmd <pid> VM.native_memory summary}); empty when the JVM runs without
   * {@code -XX:NativeMemoryTracking}.
   */
  Map<String, Long> nativeMemoryKb() throws IOException, InterruptedException {
    Map<String, Long> committed = new java.util.LinkedHashMap<>();
    Matcher m = NMT_LINE.matcher(jcmd("VM.native_memory", "summary"));
    while (m.find()) {
      committed.put(m.group(1) != null ? "Total" : m.group(2).trim(), Long.parseLong(m.group(3)));
    }
    return committed;
  }

  /**
   * Gives the C heap's free memory back to the OS ({@code jcmd <pid> System.trim_native_heap},
   * glibc's {@code malloc_trim}); false when the JVM has no such command.
   */
  boolean trimNativeHeap() throws IOException, InterruptedException {
    return jcmd("System.trim_native_heap").contains("RSS");
  }

  /** A diagnostic command's output, empty when jcmd failed. */
  String jcmd(String... command) throws IOException, InterruptedException {
    List<String> args = new java.util.ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(pid));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? out : "";
  }

  /** User plus system CPU time of the whole process, in nanoseconds. */
  long cpuNanos() throws IOException {
    return cpuNanosOf(Path.of("/proc/" + pid + "/stat"));
  }

  static long ownCpuNanos() throws IOException {
    return cpuNanosOf(Path.of("/proc/self/stat"));
  }

  private static long cpuNanosOf(Path stat) throws IOException {
    String s = Files.readString(stat);
    // fields after the command name, which is in parentheses and may contain spaces (proc(5))
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
    return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
  }

  /** Asks the JVM for a full GC ({@code jcmd <pid> GC.run}); false when jcmd failed. */
  boolean gc() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    return p.waitFor() == 0;
  }

  /**
   * Live objects of these classes ({@code jcmd <pid> GC.class_histogram}, which runs a full GC
   * first); -1 when jcmd failed.
   */
  long instances(String... classNames) throws IOException, InterruptedException {
    Map<String, long[]> histogram = histogram();
    if (histogram.isEmpty()) {
      return -1;
    }
    long count = 0;
    for (String name : classNames) {
      count += histogram.getOrDefault(name, new long[2])[0];
    }
    return count;
  }

  /**
   * Live instances and bytes per class ({@code jcmd <pid> GC.class_histogram}, after a full GC);
   * empty when jcmd failed.
   */
  Map<String, long[]> histogram() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      return Map.of();
    }
    Map<String, long[]> classes = new HashMap<>();
    for (String line : out.split("\n")) {
      // "   1:   123456   7890123  com.example.Type (module)"
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        classes.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return classes;
  }

  /**
   * The used heap from /metrics: {@code tickrelay_jvm_heap_used_bytes}, which the WAR serves on
   * every server; before it served /metrics itself, the server's MicroProfile Metrics 5 {@code
   * memory_usedHeap_bytes{mp_scope="base"}} (older releases: {@code base_memory_usedHeap_bytes}).
   */
  long usedHeapBytes() throws IOException, InterruptedException {
    return baseMetric("tickrelay_jvm_heap_used_bytes", "memory_usedHeap_bytes");
  }

  /** The heap the JVM holds from the OS, used or not ({@code tickrelay_jvm_heap_committed_bytes}). */
  long committedHeapBytes() throws IOException, InterruptedException {
    return baseMetric("tickrelay_jvm_heap_committed_bytes", "memory_committedHeap_bytes");
  }

  /** A gauge by its name, or by the server's older MicroProfile Metrics name ({@code legacy}). */
  private long baseMetric(String name, String legacy) throws IOException, InterruptedException {
    String body = get("/metrics?scope=base");
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(legacy) || line.startsWith("base_" + legacy)) {
        String[] parts = line.trim().split(" ");
        return (long) Double.parseDouble(parts[parts.length - 1]);
      }
    }
    return -1;
  }

  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
