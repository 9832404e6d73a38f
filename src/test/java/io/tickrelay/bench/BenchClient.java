package io.tickrelay.bench;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * One Alpaca-protocol client, fed whole frames by its {@link ClientHandler}: authenticates on
 * {@code connected}, subscribes to its trades on {@code authenticated}, then reads trades, tracking
 * per symbol the last id (holes are gaps) and each trade's latency from its upstream {@code t} to
 * receipt. JSON frames are scanned by hand from their bytes, not parsed into trees or Strings, so
 * the load generator stays cheap on a shared box. Everything but {@link #close} and the getters
 * runs on the connection's event-loop thread.
 */
final class BenchClient {

  final CountDownLatch authenticated = new CountDownLatch(1);
  final CountDownLatch subscribed = new CountDownLatch(1);
  final Map<String, Integer> errors = new ConcurrentHashMap<>();

  private final String key;
  private final String secret;
  private final int[] symbols;
  private final boolean subscribe;
  private final long[] last;
  private final AsciiView view = new AsciiView();
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile Runnable onSettled = () -> {};
  private volatile Window window;
  private volatile Channel channel;
  private volatile boolean closed;
  private String datePrefix = "";
  private long dateEpochSeconds;

  BenchClient(String key, String secret, int[] symbols, int maxSymbols, boolean subscribe) {
    this.key = key;
    this.secret = secret;
    this.symbols = symbols;
    this.subscribe = subscribe;
    this.last = new long[maxSymbols];
  }

  /** Completes when the WebSocket handshake has, or fails with why the connection did not open. */
  CompletableFuture<Void> connect(ClientTransport transport, URI uri, boolean msgpack) {
    return transport.connect(this, uri, msgpack);
  }

  /** Runs {@code action} once, when the client is authenticated or has failed. */
  void onSettled(Runnable action) {
    this.onSettled = action;
  }

  void settle() {
    if (settled.compareAndSet(false, true)) {
      onSettled.run();
    }
  }

  void window(Window window) {
    this.window = window;
  }

  /** The last id seen of every symbol of this client, to tell when it caught up. */
  long last(int symbol) {
    synchronized (last) {
      return last[symbol];
    }
  }

  int[] symbols() {
    return symbols;
  }

  /** Drops the TCP connection without a close handshake, as the JDK client's abort did. */
  void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  /** Whether {@link #close} was called: the connection's end is then no error. */
  boolean closed() {
    return closed;
  }

  /** The connection's channel, as soon as it is registered (before it connects). */
  void attach(Channel ch) {
    channel = ch;
    if (closed) {
      ch.close();
    }
  }

  /** A text frame's UTF-8 bytes, {@code frame[0 .. length)}; the array is reused after the call. */
  void onText(byte[] frame, int length) {
    long receivedNanos = epochNanos(Instant.now());
    AsciiView data = view.of(frame, length);
    if (length > 10 && data.charAt(7) == 't' && data.charAt(3) == 'T') {
      trades(data, receivedNanos);
    } else {
      control(new String(frame, 0, length, StandardCharsets.UTF_8));
    }
  }

  /** A binary (msgpack) frame, {@code frame[0 .. length)}; the array is reused after the call. */
  void onBinary(byte[] frame, int length) {
    long receivedNanos = epochNanos(Instant.now());
    msgpack(frame, length, receivedNanos);
  }

  void onError(Throwable error) {
    errors.merge("transport:" + error.getClass().getSimpleName(), 1, Integer::sum);
    settle();
  }

  void onClose(int statusCode) {
    errors.merge("close:" + statusCode, 1, Integer::sum);
    settle();
  }

  private void send(String text) {
    channel.writeAndFlush(new TextWebSocketFrame(text));
  }

  private void control(String text) {
    if (text.contains("\"msg\":\"connected\"")) {
      send("{\"action\":\"auth\",\"key\":\"" + key + "\",\"secret\":\"" + secret + "\"}");
    } else if (text.contains("\"msg\":\"authenticated\"")) {
      authenticated.countDown();
      settle();
      if (subscribe) {
        send(subscribeRequest());
      }
    } else if (text.contains("\"T\":\"subscription\"")) {
      subscribed.countDown();
    } else if (text.contains("\"T\":\"error\"")) {
      int at = text.indexOf("\"code\":");
      errors.merge("error:" + (at < 0 ? "?" : text.substring(at + 7, Math.min(text.length(), at + 10))),
          1, Integer::sum);
    }
    if (text.contains("\"T\":\"t\"")) { // data after control messages in one frame (a baseline)
      trades(text, epochNanos(Instant.now()));
    }
  }

  private String subscribeRequest() {
    StringBuilder b = new StringBuilder("{\"action\":\"subscribe\",\"trades\":[");
    for (int i = 0; i < symbols.length; i++) {
      b.append(i == 0 ? "\"" : ",\"").append(TradeDriver.symbol(symbols[i])).append('"');
    }
    return b.append("]}").toString();
  }

  /** Scans {@code {"T":"t",...,"S":"S0001","i":12,...,"t":"2026-...Z"}} objects in a frame. */
  private void trades(CharSequence f, long receivedNanos) {
    Window w = window;
    int n = f.length();
    int at = 0;
    while ((at = indexOf(f, "{\"T\":\"t\"", at, n)) >= 0) {
      int end = indexOf(f, "}", at, n);
      int s = indexOf(f, "\"S\":\"", at, end) + 5;
      int sEnd = indexOf(f, "\"", s, end);
      int i = indexOf(f, "\"i\":", at, end) + 4;
      long id = 0;
      while (i < end && Character.isDigit(f.charAt(i))) {
        id = id * 10 + (f.charAt(i++) - '0');
      }
      int t = indexOf(f, "\"t\":\"", at, end) + 5;
      int tEnd = indexOf(f, "\"", t, end);
      int symbol = TradeDriver.index(f, s, sEnd);
      received(w, symbol, id, parseTime(f, t, tEnd), receivedNanos);
      at = end;
    }
    if (w != null) {
      w.framesReceived.increment();
    }
  }

  private void msgpack(byte[] frame, int length, long receivedNanos) {
    Window w = window;
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame, 0, length)) {
      int messages = in.unpackArrayHeader();
      for (int m = 0; m < messages; m++) {
        Map<Value, Value> map = in.unpackValue().asMapValue().map();
        String type = str(map, "T");
        if ("t".equals(type)) {
          String sym = str(map, "S");
          long id = map.get(org.msgpack.value.ValueFactory.newString("i")).asIntegerValue().toLong();
          Instant t = map.get(org.msgpack.value.ValueFactory.newString("t")).asTimestampValue().toInstant();
          received(w, TradeDriver.index(sym, 0, sym.length()), id, epochNanos(t), receivedNanos);
        } else if ("success".equals(type)) {
          control("{\"msg\":\"" + str(map, "msg") + "\"}");
        } else if ("subscription".equals(type)) {
          subscribed.countDown();
        } else if ("error".equals(type)) {
          errors.merge("error:" + map.get(org.msgpack.value.ValueFactory.newString("code")), 1, Integer::sum);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      errors.merge("undecodable", 1, Integer::sum);
    }
    if (w != null) {
      w.framesReceived.increment();
    }
  }

  private static String str(Map<Value, Value> map, String key) {
    Value v = map.get(org.msgpack.value.ValueFactory.newString(key));
    return v == null ? null : v.asStringValue().asString();
  }

  private void received(Window w, int symbol, long id, long eventNanos, long receivedNanos) {
    long previous;
    synchronized (last) {
      previous = last[symbol];
      if (id > previous) {
        last[symbol] = id;
      }
    }
    if (w == null || !w.contains(symbol, id)) {
      return;
    }
    w.delivered.increment();
    if (id <= previous) {
      w.outOfOrder.increment();
    } else if (previous != 0 && id > previous + 1 && w.contains(symbol, previous + 1)) {
      w.gaps.add(id - previous - 1);
    }
    w.latencyMicros.recordValue(Math.max(0, (receivedNanos - eventNanos) / 1000));
  }

  private static int indexOf(CharSequence s, String needle, int from, int to) {
    int last = to - needle.length();
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < needle.length(); j++) {
        if (s.charAt(i + j) != needle.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** RFC 3339 in UTC as Instant.toString writes it: yyyy-mm-ddThh:mm:ss[.f{1,9}]Z. */
  private long parseTime(CharSequence f, int from, int to) {
    if (!regionMatches(f, from, datePrefix)) {
      datePrefix = f.subSequence(from, from + 11).toString();
      dateEpochSeconds = LocalDate.parse(datePrefix.substring(0, 10)).toEpochDay() * 86_400L;
    }
    int p = from + 11;
    long seconds = dateEpochSeconds + two(f, p) * 3600L + two(f, p + 3) * 60L + two(f, p + 6);
    long nanos = 0;
    int digits = 0;
    for (int i = p + 9; i < to && f.charAt(i) != 'Z'; i++, digits++) {
      nanos = nanos * 10 + (f.charAt(i) - '0');
    }
    for (; digits < 9; digits++) {
      nanos *= 10;
    }
    return seconds * 1_000_000_000L + nanos;
  }

  private static boolean regionMatches(CharSequence f, int from, String prefix) {
    if (prefix.isEmpty() || f.length() < from + prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (f.charAt(from + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int two(CharSequence f, int at) {
    return (f.charAt(at) - '0') * 10 + (f.charAt(at + 1) - '0');
  }

  /**
   * A frame's bytes as chars without decoding them, for the scans above: every byte they look at
   * (JSON syntax, field names, symbols, digits, timestamps) is ASCII, so byte = char.
   */
  private static final class AsciiView implements CharSequence {

    private byte[] bytes;
    private int length;

    AsciiView of(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
      return this;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      if (start < 0 || end > length || start > end) {
        throw new IndexOutOfBoundsException(start + ".." + end + " of " + length);
      }
      return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
  }
}
