package io.tickrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One gateway node from {@code target/tickrelay.jar} as a real operating-system process, on a free
 * HTTP port, with exactly the environment a test gives it: what issue 14's multi-node tests start
 * several of, then kill ({@code kill -9}), freeze ({@code kill -STOP}/{@code -CONT}) or stop.
 *
 * <p>The jar's launcher JVM unpacks Liberty and runs the server in a child JVM (it does so whenever
 * the server has a {@code jvm.options}, as ours does), so signals that must hit the server go to
 * that child: {@link #kill()}, {@link #pause()}, {@link #resume()}. {@link #stop()} sends SIGTERM
 * to the launcher, whose shutdown hook stops the server as Ctrl+C would.
 *
 * <p>Each node lives in {@code target/nodes/<name>-<port>}: {@code console.log} (the server's
 * console), {@code output/} ({@code WLP_OUTPUT_DIR}: {@code messages.log}, {@code trace.log}) and
 * {@code extract/} (the unpacked jar, deleted on {@link #close()}); the logs stay for a failed
 * test. {@link #log()} gives them with every secret of the node's environment masked. A JVM
 * shutdown hook kills the node if the test JVM ends without closing it.
 */
public final class GatewayNode implements AutoCloseable {

  /** The runnable jar {@code mvn package} builds (README, "Run nodes from the jar"). */
  public static final Path JAR = Path.of("target", "tickrelay.jar");

  private static final Path NODES = Path.of("target", "nodes");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  /** Settings whose values (or parts) are secrets: masked in {@link #log()}. */
  private static final List<String> CREDENTIAL_LISTS =
      List.of("TICKRELAY_CLIENTS", "TICKRELAY_PUBLISHERS", "TICKRELAY_OPERATOR_CREDENTIAL");
  private static final List<String> SECRET_VALUES =
      List.of("APCA_API_SECRET_KEY", "keystore_password", "TICKRELAY_CLUSTER_REDIS_URL");

  private final String name;
  private final int httpPort;
  private final Path dir;
  private final Process launcher;
  /** Each secret of the node's environment, longest first, with the setting it came from. */
  private final Map<String, String> secrets;
  private final Thread killOnExit;
  private final long launchedAt = System.nanoTime();
  private volatile Duration bootTime;
  private volatile boolean paused;

  private GatewayNode(String name, int httpPort, Path dir, Process launcher,
      Map<String, String> secrets) {
    this.name = name;
    this.httpPort = httpPort;
    this.dir = dir;
    this.launcher = launcher;
    this.secrets = secrets;
    this.killOnExit = new Thread(this::killQuietly, "kill gateway node " + name);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Launches a node and waits until {@code /health/ready} is UP. */
  public static GatewayNode start(String name, Map<String, String> env, Duration readyTimeout)
      throws IOException {
    GatewayNode node = launch(name, env);
    try {
      node.awaitReady(readyTimeout);
      return node;
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
  }

  /**
   * Launches a node without waiting, so that several boot at once; then {@link #awaitReady}. The
   * node gets {@code env} and nothing else from the test JVM's environment but {@code PATH} and
   * {@code HOME}; {@code HTTP_PORT} is a free port unless {@code env} names one.
   */
  public static GatewayNode launch(String name, Map<String, String> env) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: mvn package builds it");
    }
    int port = env.containsKey("HTTP_PORT") ? Integer.parseInt(env.get("HTTP_PORT")) : freePort();
    Path dir = NODES.resolve(name + "-" + port).toAbsolutePath();
    deleteTree(dir);
    Files.createDirectories(dir);
    Map<String, String> nodeEnv = new LinkedHashMap<>();
    nodeEnv.put("HTTP_PORT", Integer.toString(port));
    nodeEnv.put("WLP_JAR_EXTRACT_DIR", dir.resolve("extract").toString());
    nodeEnv.put("WLP_OUTPUT_DIR", dir.resolve("output").toString());
    nodeEnv.put("JAVA_HOME", System.getProperty("java.home"));
    nodeEnv.putAll(env);
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // the launcher only unpacks and waits; the server's JVM takes server-config/jvm.options
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", JAR.toAbsolutePath().toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("console.log").toFile());
    Map<String, String> environment = builder.environment();
    String path = environment.get("PATH");
    String home = environment.get("HOME");
    environment.clear();
    environment.put("PATH", path == null ? "/usr/bin:/bin" : path);
    if (home != null) {
      environment.put("HOME", home);
    }
    environment.putAll(nodeEnv);
    return new GatewayNode(name, port, dir, builder.start(), secretsOf(nodeEnv));
  }

  /**
   * Waits until {@code /health/ready} answers 200 (the upstream authenticated), failing at once if
   * the node dies or cannot bind its port, with its log in the message.
   */
  public void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve("/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    try {
      Await.until(name + " /health/ready UP", timeout, () -> {
        if (!launcher.isAlive()) {
          throw new IllegalStateException(name + " exited with " + launcher.exitValue()
              + " before it was ready:\n" + logTail(4000));
        }
        if (consoleContains("CWWKO0221E")) { // "TCP Channel ... initialization did not succeed"
          throw new IllegalStateException(name + " could not bind port " + httpPort + ":\n"
              + logTail(4000));
        }
        return status(http, ready) == 200;
      });
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "; log of " + name + ":\n" + logTail(4000),
          timedOut);
    }
    bootTime = Duration.ofNanos(System.nanoTime() - launchedAt);
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  /** {@code http://localhost:<port>/}: health and metrics are at the root, the WAR too. */
  public URI baseUri() {
    return URI.create("http://localhost:" + httpPort + "/");
  }

  /** A client WebSocket URL on this node, e.g. {@code ws("/v2/iex")}. */
  public URI ws(String path) {
    return URI.create("ws://localhost:" + httpPort + path);
  }

  /** From launch to {@code /health/ready} UP, once {@link #awaitReady} returned. */
  public Duration bootTime() {
    return bootTime;
  }

  /** The process ids of the launcher ({@code java -jar}) and of the server JVM it started. */
  public long launcherPid() {
    return launcher.pid();
  }

  /** The server's JVM (the launcher's child), once the jar is unpacked and the server launched. */
  public ProcessHandle server() {
    return Await.value(name + "'s server JVM to start", Duration.ofSeconds(60),
        () -> launcher.toHandle().children().filter(ProcessHandle::isAlive).findFirst().orElse(null));
  }

  /** True while the server JVM or its launcher still runs. */
  public boolean isAlive() {
    return launcher.isAlive() || launcher.toHandle().descendants().anyMatch(ProcessHandle::isAlive);
  }

  /**
   * {@code kill -9} of the server JVM, then of the launcher: the node vanishes without a word,
   * its sockets are reset by the kernel. Returns once both are gone.
   */
  public void kill() {
    List<ProcessHandle> tree = new ArrayList<>(launcher.toHandle().descendants().toList());
    tree.forEach(ProcessHandle::destroyForcibly); // SIGKILL on Unix
    launcher.destroyForcibly();
    tree.add(launcher.toHandle());
    for (ProcessHandle process : tree) {
      try {
        process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(name + ": process " + process.pid() + " survived SIGKILL", e);
      }
    }
    paused = false;
  }

  /** {@code kill -STOP} of the server JVM: its sockets stay open, nothing is answered or sent. */
  public void pause() throws IOException {
    signal("-STOP", server().pid());
    paused = true;
  }

  /** {@code kill -CONT}: the frozen server runs on, with whatever piled up meanwhile. */
  public void resume() throws IOException {
    signal("-CONT", server().pid());
    paused = false;
  }

  /**
   * A graceful stop: SIGTERM to the launcher, whose hook stops the server (applications stopped,
   * clients closed) as Ctrl+C would; {@code kill -9} if that takes longer than 30 s.
   */
  public void stop() throws IOException {
    if (paused) {
      resume();
    }
    List<ProcessHandle> tree = launcher.toHandle().descendants().toList();
    launcher.destroy(); // SIGTERM
    try {
      if (!launcher.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT);
      }
      for (ProcessHandle process : tree) {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    } catch (Exception e) {
      kill();
      throw new IllegalStateException(name + "'s server did not stop with its launcher", e);
    }
  }

  /**
   * The node's console followed by its {@code messages.log} and {@code trace.log}, each secret of
   * its environment replaced by {@code ***}: safe to print in test output.
   */
  public String log() {
    return mask(rawLog());
  }

  /** The last {@code chars} characters of {@link #log()}. */
  public String logTail(int chars) {
    String log = log();
    return log.length() <= chars ? log : "..." + log.substring(log.length() - chars);
  }

  /**
   * The names of the environment settings whose secret appears in the node's own logs: the
   * gateway must never log one (empty when it does not).
   */
  public List<String> settingsWithSecretInLog() {
    String raw = rawLog();
    List<String> leaked = new ArrayList<>();
    secrets.forEach((secret, setting) -> {
      if (raw.contains(secret) && !leaked.contains(setting)) {
        leaked.add(setting);
      }
    });
    return leaked;
  }

  /** Stops the node (kills it if it will not stop) and deletes its unpacked jar; logs stay. */
  @Override
  public void close() {
    try {
      if (isAlive()) {
        stop();
      }
    } catch (IOException | RuntimeException e) {
      killQuietly();
    } finally {
      removeShutdownHook();
      deleteTree(dir.resolve("extract"));
    }
  }

  @Override
  public String toString() {
    return name + " (port " + httpPort + ", launcher pid " + launcher.pid() + ")";
  }

  private void killQuietly() {
    try {
      if (paused) {
        launcher.toHandle().descendants().forEach(p -> signalQuietly("-CONT", p.pid()));
      }
      kill();
    } catch (RuntimeException e) {
      System.err.println("could not kill gateway node " + this + ": " + e.getMessage());
    }
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to run: it kills the node, which is what close wants
    }
  }

  private String rawLog() {
    StringBuilder log = new StringBuilder();
    for (Path file : logFiles()) {
      try {
        log.append("==> ").append(dir.relativize(file)).append(" <==\n")
            .append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        log.append("(unreadable: ").append(e.getMessage()).append(")\n");
      }
    }
    return log.toString();
  }

  private List<Path> logFiles() {
    List<Path> files = new ArrayList<>();
    files.add(dir.resolve("console.log"));
    Path logs = dir.resolve("output").resolve("tickrelay").resolve("logs");
    files.add(logs.resolve("messages.log"));
    files.add(logs.resolve("trace.log"));
    return files.stream().filter(Files::isRegularFile).toList();
  }

  private boolean consoleContains(String text) {
    try {
      Path console = dir.resolve("console.log");
      return Files.isRegularFile(console) && Files.readString(console).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private String mask(String text) {
    String masked = text;
    for (String secret : secrets.keySet()) {
      masked = masked.replace(secret, "***");
    }
    return masked;
  }

  /**
   * Every secret in a node's environment: the whole value of secret settings, the secret field of
   * each {@code key:secret:...} entry of the credential lists (the digest of a {@code sha256:}
   * one). Longest first, so that masking a secret never leaves part of a longer one.
   */
  static Map<String, String> secretsOf(Map<String, String> env) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String setting : SECRET_VALUES) {
      Optional.ofNullable(env.get(setting)).filter(v -> !v.isBlank())
          .ifPresent(secret -> found.put(secret, setting));
    }
    for (String setting : CREDENTIAL_LISTS) {
      String list = env.get(setting);
      if (list == null) {
        continue;
      }
      for (String entry : list.split(",")) {
        String[] fields = entry.trim().split(":");
        if (fields.length >= 3 && fields[1].equals("sha256")) {
          found.put(fields[2], setting);
        } else if (fields.length >= 2 && !fields[1].isEmpty()) {
          found.put(fields[1], setting);
        }
      }
    }
    Map<String, String> longestFirst = new LinkedHashMap<>();
    found.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
        .forEach(secret -> longestFirst.put(secret, found.get(secret)));
    return longestFirst;
  }

  private static int status(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void signal(String signal, long pid) throws IOException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid))
        .redirectErrorStream(true).start();
    try {
      int rc = kill.waitFor();
      if (rc != 0) {
        throw new IOException("kill " + signal + " " + pid + " exited " + rc);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted sending " + signal, e);
    }
  }

  private static void signalQuietly(String signal, long pid) {
    try {
      signal(signal, pid);
    } catch (IOException e) {
      System.err.println("kill " + signal + " " + pid + ": " + e.getMessage());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
