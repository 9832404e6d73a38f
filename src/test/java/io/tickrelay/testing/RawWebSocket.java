package io.tickrelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client on a plain socket (RFC 6455), for what a well-behaved client library cannot
 * do or does not show: frames with any opcode and payload (invalid UTF-8 in a text frame, empty
 * frames), and the handshake's response headers (a {@code Set-Cookie} the server should not send).
 * One reader thread per connection records every frame; a close frame or EOF ends it.
 */
public final class RawWebSocket implements AutoCloseable {

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** Close code reported when the connection ended without a close frame (RFC 6455 §7.1.5). */
  public static final int ABNORMAL = 1006;

  /** A data frame from the server (fragments joined). */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final Map<String, List<String>> responseHeaders;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private int received; // guarded by this
  private int pongs; // guarded by this
  /**
   * Held while a frame is written, never by the reader: a send blocked on a server that stopped
   * reading must not keep the reader from taking in the server's answers (when both sides' socket
   * buffers are full, a reader that waits for the writer deadlocks with the server).
   */
  private final Object writeLock = new Object();

  private RawWebSocket(Socket socket, Map<String, List<String>> responseHeaders, InputStream in)
      throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = in;
    this.responseHeaders = responseHeaders;
    Thread reader = new Thread(this::read, "raw-ws-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Thrown when the server answers the upgrade with something other than 101. */
  public static final class Refused extends IOException {
    private final int status;

    Refused(int status) {
      super("handshake refused with HTTP " + status);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Opens {@code uri} ({@code ws://} only) sending {@code headers} with the upgrade request. */
  public static RawWebSocket open(URI uri, Map<String, String> headers, Duration timeout)
      throws IOException {
    return open(uri, headers, timeout, null);
  }

  /**
   * The same from the local address {@code from} (null: the system's choice), so that a test can
   * be another remote address for the server honestly: on Linux every 127.0.0.0/8 address is the
   * loopback interface's, and a socket bound to 127.0.0.2 reaches a server on 127.0.0.1.
   */
  public static RawWebSocket open(
      URI uri, Map<String, String> headers, Duration timeout, java.net.InetAddress from)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      if (from != null) {
        socket.bind(new InetSocketAddress(from, 0));
      }
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      byte[] nonce = new byte[16];
      java.util.concurrent.ThreadLocalRandom.current().nextBytes(nonce);
      StringBuilder request = new StringBuilder()
          .append("GET ").append(uri.getRawPath())
          .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
          .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
          .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
          .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce))
          .append("\r\nSec-WebSocket-Version: 13\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      request.append("\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      String status = line(in);
      Map<String, List<String>> response = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        if (colon > 0) {
          response.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>())
              .add(h.substring(colon + 1).trim());
        }
      }
      String[] parts = status.split(" ");
      int code = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
      if (code != 101) {
        throw new Refused(code);
      }
      socket.setSoTimeout(0); // the reader waits as long as the connection lives
      return new RawWebSocket(socket, response, in);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed during the handshake");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** The upgrade response's headers, names matched without regard to case. */
  public Map<String, List<String>> responseHeaders() {
    return responseHeaders;
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendBinary(byte[] bytes) throws IOException {
    send(BINARY, bytes);
  }

  /** One final frame with this opcode and payload, masked as a client must (RFC 6455 §5.3). */
  public void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = new byte[4]; // a test client: masks need not be unpredictable here
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask, 0, 4);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    frame.write(masked, 0, masked.length);
    synchronized (writeLock) {
      out.write(frame.toByteArray());
      out.flush();
    }
  }

  /**
   * Writes bytes as they are, in one write: for tests that shape what the server reads at once
   * (a frame split across reads). The caller masks and frames them.
   */
  public void sendRaw(byte[] bytes) throws IOException {
    synchronized (writeLock) {
      out.write(bytes);
      out.flush();
    }
  }

  /** One masked client frame's bytes with a fixed mask, for {@link #sendRaw}. */
  public static byte[] maskedFrame(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length >= 126) {
      throw new IllegalArgumentException("short frames only");
    }
    frame.write(0x80 | payload.length);
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    return frame.toByteArray();
  }

  /** The next data frame that passes {@code test}, skipping others; null when none came in time. */
  public Frame await(Predicate<Frame> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (frame == null || test.test(frame)) {
        return frame;
      }
    }
  }

  /**
   * Waits until {@code count} data frames arrived since the connection opened, or it closed;
   * false when neither happened in time.
   */
  public synchronized boolean awaitReceived(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received < count && !closed.isDone()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /**
   * Sends a ping and waits for a pong: the server's WebSocket layer answers pings itself (RFC 6455
   * §5.5.2), so a pong says its frame reader is still in step with this client's frames, whatever
   * the application behind it does. False when none came in time or the connection closed.
   */
  public boolean pings(Duration timeout) throws IOException, InterruptedException {
    int before;
    synchronized (this) {
      before = pongs;
    }
    send(PING, new byte[] {'p'});
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (pongs == before && !closed.isDone()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return pongs > before;
    }
  }

  /** How many data frames arrived since the connection opened. */
  public synchronized int receivedCount() {
    return received;
  }

  /** Every data frame received and not yet taken by {@link #await}. */
  public List<Frame> drain() {
    List<Frame> all = new ArrayList<>();
    frames.drainTo(all);
    return all;
  }

  /** The client side's TCP port: the server's logs name the connection by it. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** Completes with the close code the server sent, or {@link #ABNORMAL} when it sent none. */
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  /** Sends a close frame (1000) unless closed already, and closes the socket. */
  @Override
  public void close() {
    try {
      if (!closed.isDone()) {
        send(CLOSE, new byte[] {0x03, (byte) 0xE8});
      }
    } catch (IOException gone) {
      // the server closed first: nothing to say
    } finally {
      closeSocket();
    }
  }

  /** Drops the TCP connection without a close frame, as a client that crashed or lost its network. */
  public void abort() {
    closeSocket();
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a socket that failed: nothing left to release
    }
  }

  private void read() {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    int messageOpcode = 0;
    try {
      while (true) {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
          break;
        }
        long length = b1 & 0x7F;
        if (length == 126) {
          length = (readByte() << 8) | readByte();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) {
            length = (length << 8) | readByte();
          }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
          break;
        }
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & 0x80) != 0;
        if (opcode == CLOSE) {
          int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
          closed.complete(code);
          try {
            send(CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
          } catch (IOException gone) {
            // the server may have closed the TCP connection already
          }
          break;
        }
        if (opcode == PING) {
          send(PONG, payload);
          continue;
        }
        if (opcode == PONG) {
          synchronized (this) {
            pongs++;
            notifyAll();
          }
          continue;
        }
        if (opcode != 0) {
          messageOpcode = opcode;
          message.reset();
        }
        message.write(payload, 0, payload.length);
        if (fin) {
          frames.add(new Frame(messageOpcode, message.toByteArray()));
          message.reset();
          synchronized (this) {
            received++;
            notifyAll();
          }
        }
      }
    } catch (IOException ended) {
      // the connection ended: reported below as an abnormal closure unless a close frame came
    } finally {
      closed.complete(ABNORMAL);
      closeSocket();
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  /** The cookies the upgrade response set, by name (lower case). */
  public List<String> cookieNames() {
    List<String> names = new ArrayList<>();
    for (String cookie : responseHeaders.getOrDefault("Set-Cookie", List.of())) {
      int eq = cookie.indexOf('=');
      names.add((eq > 0 ? cookie.substring(0, eq) : cookie).trim().toLowerCase(Locale.ROOT));
    }
    return names;
  }
}
