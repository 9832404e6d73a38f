package io.tickrelay.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.glassfish.tyrus.server.Server;

/**
 * The upstream for a benchmark: a standalone Tyrus server speaking Alpaca's stream protocol
 * (upstream-protocols.md §1: {@code connected}, auth, subscribe answered with the full state) that
 * publishes trades at a set rate, round-robin over the first {@code symbols} names, each symbol
 * with its own trade ids 1, 2, 3... and {@code t} the wall-clock time the trade was written, in
 * nanoseconds where the clock gives them. Trades for one session go out batched in one frame per
 * tick, as Alpaca batches, and only for the symbols that session subscribed.
 */
final class TradeDriver implements AutoCloseable {

  /** Tyrus instantiates endpoints by class: this is how its endpoint finds the driver. */
  private static volatile TradeDriver current;

  private final Server server;
  private final String[] names;
  private final long[] lastId;
  private final Map<Session, Subscriber> subscribers = new ConcurrentHashMap<>();
  private final Object publishing = new Object();
  private final Thread publisher;
  private final long tickNanos;
  private final int maxBatch;
  private volatile double rate;
  private volatile int active;
  private volatile boolean running = true;
  private long published;
  private long lagResets;

  private static final class Subscriber {
    final BitSet symbols = new BitSet();
    volatile boolean all;
    volatile boolean authenticated;
    final StringBuilder frame = new StringBuilder(4096);
  }

  TradeDriver(int port, int maxSymbols, long tickNanos, int maxBatch) throws Exception {
    this.names = new String[maxSymbols];
    for (int i = 0; i < maxSymbols; i++) {
      names[i] = symbol(i);
    }
    this.lastId = new long[maxSymbols];
    this.tickNanos = tickNanos;
    this.maxBatch = maxBatch;
    current = this;
    // port -1 = ephemeral; 0 would mean Tyrus's default 8025 (toolchain.md §6.9)
    server = new Server("localhost", port, "/bench", Map.of(), Endpoint.class);
    server.start();
    publisher = new Thread(this::publish, "bench-trade-driver");
    publisher.setDaemon(true);
    publisher.start();
  }

  static String symbol(int index) {
    return String.format("S%04d", index);
  }

  static int index(CharSequence symbol, int from, int to) {
    int n = 0;
    for (int i = from + 1; i < to; i++) {
      n = n * 10 + (symbol.charAt(i) - '0');
    }
    return n;
  }

  int port() {
    return server.getPort();
  }

  int authenticatedSessions() {
    return (int) subscribers.values().stream().filter(s -> s.authenticated).count();
  }

  /** Publishes {@code tradesPerSecond} over symbols 0 .. {@code symbols - 1}; 0 stops. */
  void rate(double tradesPerSecond, int symbols) {
    active = Math.min(symbols, names.length);
    rate = tradesPerSecond;
  }

  /** Hands the last trade id of every symbol, taken between two batches, to {@code mark}. */
  void mark(Consumer<long[]> mark) {
    synchronized (publishing) {
      mark.accept(lastId.clone());
    }
  }

  /** Trades written since the start, and how often the driver fell a second behind its rate. */
  long[] counts() {
    synchronized (publishing) {
      return new long[] {published, lagResets};
    }
  }

  private void publish() {
    long epoch = System.nanoTime();
    long sentSinceEpoch = 0;
    double epochRate = 0;
    int cursor = 0;
    while (running) {
      double r = rate;
      long now = System.nanoTime();
      if (r != epochRate) {
        epochRate = r;
        epoch = now;
        sentSinceEpoch = 0;
      }
      long due = r <= 0 ? 0 : (long) ((now - epoch) * r / 1e9) - sentSinceEpoch;
      if (due > r) { // more than a second behind: the driver (or its socket) cannot keep up
        synchronized (publishing) {
          lagResets++;
        }
        epoch = now;
        sentSinceEpoch = 0;
        due = 0;
      }
      if (due <= 0) {
        LockSupport.parkNanos(tickNanos);
        continue;
      }
      int n = (int) Math.min(due, maxBatch);
      cursor = batch(n, cursor);
      sentSinceEpoch += n;
    }
  }

  private int batch(int n, int cursor) {
    synchronized (publishing) {
      int symbols = Math.max(1, active);
      for (Subscriber s : subscribers.values()) {
        s.frame.setLength(0);
      }
      for (int k = 0; k < n; k++) {
        int sym = cursor++ % symbols;
        cursor %= symbols;
        long id = ++lastId[sym];
        published++;
        Instant t = Instant.now();
        String message = "{\"T\":\"t\",\"S\":\"" + names[sym] + "\",\"i\":" + id
            + ",\"x\":\"V\",\"p\":" + (100 + (id % 100) / 100.0) + ",\"s\":100,\"c\":[\"@\"],\"z\":\"C\",\"t\":\""
            + t + "\"}";
        for (Subscriber s : subscribers.values()) {
          if (s.all || s.symbols.get(sym)) {
            s.frame.append(s.frame.length() == 0 ? '[' : ',').append(message);
          }
        }
      }
      subscribers.forEach((session, s) -> {
        if (s.frame.length() > 0) {
          s.frame.append(']');
          send(session, s.frame.toString());
        }
      });
      return cursor;
    }
  }

  private static void send(Session session, String text) {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IOException | RuntimeException e) { // closed under us; its onClose removes it
      System.err.println("driver: send failed: " + e);
    }
  }

  void opened(Session session) {
    subscribers.put(session, new Subscriber());
    send(session, "[{\"T\":\"success\",\"msg\":\"connected\"}]");
  }

  void text(Session session, String text) {
    Subscriber s = subscribers.get(session);
    if (s == null) {
      return;
    }
    if (text.contains("\"auth\"")) {
      s.authenticated = true;
      send(session, "[{\"T\":\"success\",\"msg\":\"authenticated\"}]");
      return;
    }
    boolean subscribe = text.contains("\"subscribe\"");
    if (!subscribe && !text.contains("\"unsubscribe\"")) {
      return;
    }
    List<String> trades = list(text, "trades");
    String ack;
    synchronized (publishing) {
      for (String name : trades) {
        if (name.equals("*")) {
          s.all = subscribe;
        } else if (name.length() == 5 && name.charAt(0) == 'S') {
          s.symbols.set(index(name, 0, 5), subscribe);
        }
      }
      List<String> now = new ArrayList<>();
      if (s.all) {
        now.add("*");
      }
      s.symbols.stream().forEach(i -> now.add(names[i]));
      String state = quoted(now);
      // Alpaca answers with the whole subscription state; corrections and cancelErrors follow trades
      ack = "[{\"T\":\"subscription\",\"trades\":" + state + ",\"quotes\":[],\"bars\":[],"
          + "\"updatedBars\":[],\"dailyBars\":[],\"statuses\":[],\"lulds\":[],\"corrections\":"
          + state + ",\"cancelErrors\":" + state + "}]";
    }
    send(session, ack);
  }

  private static String quoted(List<String> names) {
    StringBuilder b = new StringBuilder("[");
    for (String n : names) {
      b.append(b.length() > 1 ? "," : "").append('"').append(n).append('"');
    }
    return b.append(']').toString();
  }

  /** The strings of one array field in a client message; enough JSON for what the gateway sends. */
  static List<String> list(String json, String field) {
    List<String> out = new ArrayList<>();
    int at = json.indexOf("\"" + field + "\"");
    if (at < 0) {
      return out;
    }
    int open = json.indexOf('[', at);
    int close = json.indexOf(']', open);
    for (String part : json.substring(open + 1, close).split(",")) {
      String name = part.trim();
      if (name.length() >= 2) {
        out.add(name.substring(1, name.length() - 1));
      }
    }
    return out;
  }

  void closed(Session session) {
    subscribers.remove(session);
  }

  @Override
  public void close() {
    running = false;
    publisher.interrupt();
    server.stop();
    current = null;
  }

  /** The driver's WebSocket face: {@code ws://localhost:{port}/bench/v2/{feed}}. */
  @jakarta.websocket.server.ServerEndpoint("/v2/{feed}")
  public static class Endpoint {
    @OnOpen
    public void open(Session session) {
      session.setMaxTextMessageBufferSize(1024 * 1024);
      current.opened(session);
    }

    @OnMessage
    public void text(Session session, String text) {
      current.text(session, text);
    }

    @OnClose
    public void close(Session session) {
      TradeDriver driver = current;
      if (driver != null) {
        driver.closed(session);
      }
    }
  }
}
