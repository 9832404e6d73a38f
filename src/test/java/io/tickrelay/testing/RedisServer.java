package io.tickrelay.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package, installed by {@code .ci/run}) on a free loopback
 * port, in its own temp dir, for cluster tests that must crash, pause and restart the engine
 * (issue 14; design in shared/reference/scaleout.md §6).
 *
 * <p>Started with {@code --daemonize no} so the JVM holds the real PID: {@link #kill()} is
 * {@code SIGKILL}, {@link #pause()}/{@link #resume()} are {@code SIGSTOP}/{@code SIGCONT} by that PID
 * (never by name). No persistence unless {@link #startPersistent()} ({@code --appendonly yes
 * --appendfsync always}, so a {@code kill -9} loses nothing acknowledged); {@code noeviction}, as
 * the design requires (an evicted lease key would be two owners).
 */
public final class RedisServer implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final boolean persistent;
  private final int port;
  private Process process;

  private RedisServer(Path dir, boolean persistent, int port) {
    this.dir = dir;
    this.persistent = persistent;
    this.port = port;
  }

  /** A fresh server without persistence: a restart comes back empty, like a lost engine. */
  public static RedisServer start() throws IOException {
    return start(false);
  }

  /** A fresh server with an append-only file fsynced per write: a restart keeps the data. */
  public static RedisServer startPersistent() throws IOException {
    return start(true);
  }

  private static RedisServer start(boolean persistent) throws IOException {
    Path dir = Files.createTempDirectory("tickrelay-redis");
    IOException last = null;
    // The free port is found by binding and releasing it, so another process can take it in
    // between; then redis-server exits ("Address already in use") and the next port is tried.
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisServer server = new RedisServer(dir, persistent, freePort());
      try {
        server.launch();
        return server;
      } catch (IOException e) {
        last = e;
        server.kill();
      }
    }
    deleteTree(dir);
    throw last;
  }

  public int port() {
    return port;
  }

  /** The URL a Lettuce client (and {@code TICKRELAY_CLUSTER_REDIS_URL}) takes. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: the engine vanishes without a word, every client connection is reset. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly(); // SIGKILL on Unix (Process.destroyForcibly)
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing redis-server", e);
    }
  }

  /** {@code kill -STOP}: sockets stay open, nothing is answered (a frozen or partitioned engine). */
  public void pause() throws IOException {
    signal("-STOP");
  }

  /** {@code kill -CONT}: the paused engine answers again, queued commands included. */
  public void resume() throws IOException {
    signal("-CONT");
  }

  /** Kills the server if it runs, then starts a new one on the same port and in the same dir. */
  public void restart() throws IOException {
    kill();
    launch();
  }

  /** True when the server answers {@code PING} within the timeout. */
  public boolean answersPing(Duration timeout) {
    try {
      return "PONG".equals(command(timeout, "PING"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends one command over a new connection and returns the reply as text: a simple string, a
   * bulk string (null for nil), an integer, an error as {@code "ERR ..."} prefixed with {@code -},
   * or an array joined by newlines. Enough for a test to look at keys without a client library.
   */
  public String command(Duration timeout, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  @Override
  public void close() {
    kill();
    deleteTree(dir);
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", "", "--maxmemory-policy", "noeviction",
        "--daemonize", "no", "--protected-mode", "yes"));
    if (persistent) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      cmd.addAll(List.of("--appendonly", "no"));
    }
    Path log = dir.resolve("redis-" + port + ".log");
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!answersPing(Duration.ofMillis(500))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String tail = Files.exists(log) ? tail(Files.readString(log)) : "(no log)";
        throw new IOException("redis-server on port " + port + " did not answer PING: " + tail);
      }
      try {
        Thread.sleep(20); // polling interval while the process starts, not a wait for an outcome
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting redis-server", e);
      }
    }
  }

  private void signal(String signal) throws IOException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    try {
      int rc = kill.waitFor();
      if (rc != 0) {
        throw new IOException("kill " + signal + " " + process.pid() + " exited " + rc);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted sending " + signal, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static byte[] encode(String... args) {
    StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
          .append(arg).append("\r\n");
    }
    return resp.toString().getBytes(StandardCharsets.UTF_8);
  }

  // RESP2 replies: https://redis.io/docs/latest/develop/reference/protocol-spec/
  private static String read(InputStream in) throws IOException {
    String line = line(in);
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
      case ':':
        return rest;
      case '-':
        return line;
      case '$': {
        int length = Integer.parseInt(rest);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2);
        return new String(data, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(rest);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return String.join("\n", items);
      }
      default:
        throw new IOException("unexpected RESP reply: " + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }

  private static String tail(String log) {
    return log.length() <= 600 ? log : log.substring(log.length() - 600);
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
