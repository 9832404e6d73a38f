package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RawWebSocket;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Issue 15's fuzz test, black box on the real WAR: {@value #SOCKETS} sockets at once send at least
 * {@code fuzz.frames} (100,000) hostile frames ({@link FuzzFrames}: JSON and msgpack, real messages,
 * prefixes, mutations, deep nesting, huge numbers, wrong types, invalid UTF-8, empty frames, the
 * other wire format) to the market-data streams, while a reader subscribed to a symbol the fake
 * market keeps trading, with sequence numbers on, receives every trade (consecutive ids, rising
 * x-seq, no gap marker) and {@code /health/ready} stays UP. Every answer a fuzzer gets is a
 * well-formed Alpaca message in its session's wire format ({@code error} with a documented code,
 * {@code success}, {@code subscription}, data or an {@code x-} message), and every close the server
 * starts has a documented code. Fuzz sockets stay under the flood guard's burst (50) and reconnect;
 * one in twenty floods on purpose (429, then close 1008). The seed is printed: {@code
 * -Dfuzz.seed=<seed>} replays the same frames per socket.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProtocolFuzzIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration BUDGET = Duration.ofSeconds(150);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final int FRAMES = Integer.getInteger("fuzz.frames", 100_000);
  private static final int SOCKETS = 24;
  /** One fuzz session in this many floods ({@code -Dfuzz.flood-one-in=2} to stress the flood closes). */
  private static final int FLOOD_ONE_IN = Integer.getInteger("fuzz.flood-one-in", 20);
  private static final String SYMBOL = "JPM"; // one the simulated market knows
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";
  private static final List<String> PATHS =
      List.of("/v2/sip", "/v2/sip", "/v2/sip", "/v2/iex", "/v1beta3/crypto/us", "/x/v1/channels");
  /** docs/PROTOCOL.md, "Errors", plus 429 (floods). */
  private static final Set<Integer> ERROR_CODES =
      Set.of(400, 401, 402, 403, 404, 405, 406, 407, 409, 410, 429);
  /** 1000 echoing ours; 1007 invalid UTF-8 and 1009 too big (the container); 1008, 1013 the gateway. */
  private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1007, 1008, 1009, 1013);
  /** Errors after which the gateway closes the connection (docs/PROTOCOL.md, "Errors"). */
  private static final Set<String> CLOSING = Set.of("402", "404", "406", "407", "409", "429");
  private static final Set<String> CONTROL_TYPES = Set.of("success", "error", "subscription",
      "x-options", "x-resumed", "x-unrecoverable", "x-gap", "x-feed", "x-event");
  private static final Pattern TRADE =
      Pattern.compile("\"T\":\"t\",\"S\":\"" + SYMBOL + "\",\"i\":(\\d+)[^}]*\"x-seq\":(\\d+)");

  private static FakeAlpaca upstream;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answers = new AtomicLong();
  private final AtomicLong sockets = new AtomicLong();
  private final ConcurrentMap<String, Integer> tally = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  /** Sessions broken by Open Liberty's empty-frame defect: see {@link FuzzFrames#containerDefectExplains}. */
  private final List<String> containerFraming = new CopyOnWriteArrayList<>();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
    upstream.simulator().keepTrading(Set.of(SYMBOL));
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void hostileFramesGetProtocolAnswersWhileAReaderMissesNothing() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("ProtocolFuzzIT: seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
    try (WsProbe reader = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"))) {
      reader.awaitText("connected", WAIT);
      reader.send(AUTH);
      reader.awaitText("authenticated", WAIT);
      reader.send("{\"action\":\"x-options\",\"sequence\":true}");
      reader.awaitText("x-options", WAIT);
      reader.send("{\"action\":\"subscribe\",\"trades\":[\"" + SYMBOL + "\"]}");
      reader.awaitText("subscription", WAIT);
      Await.until("the first trades of " + SYMBOL, WAIT, () -> trades(reader).size() >= 3);
      long started = System.nanoTime();

      AtomicBoolean fuzzing = new AtomicBoolean(true);
      List<String> notReady = new CopyOnWriteArrayList<>();
      Thread health = new Thread(() -> watchReadiness(fuzzing, notReady), "fuzz-health");
      health.setDaemon(true);
      health.start();
      ExecutorService workers = Executors.newFixedThreadPool(SOCKETS);
      List<Future<?>> done = new ArrayList<>();
      long deadline = started + BUDGET.toNanos();
      for (int w = 0; w < SOCKETS; w++) {
        Random random = new Random(seed * 31 + w);
        done.add(workers.submit(() -> fuzz(random, deadline)));
      }
      for (Future<?> f : done) {
        f.get(BUDGET.toSeconds() + 60, TimeUnit.SECONDS);
      }
      workers.shutdown();
      fuzzing.set(false);
      health.join(WAIT.toMillis());
      double seconds = (System.nanoTime() - started) / 1e9;

      int tradesBefore = trades(reader).size();
      Await.until("trades after the fuzz", WAIT, () -> trades(reader).size() > tradesBefore + 3);
      List<long[]> trades = trades(reader);
      System.out.printf("ProtocolFuzzIT: %d frames on %d sockets in %.1f s, %d answers; %s;"
              + " reader: %d trades%n", sent.get(), sockets.get(), seconds, answers.get(),
          new java.util.TreeMap<>(tally), trades.size());

      assertEquals(List.of(), violations, "answers or closes outside the protocol");
      assertTrue(containerFraming.size() <= FuzzFrames.containerFramingErrorsAllowed(sent.get()),
          "Open Liberty's frame reader broke more sessions than its empty-frame defect explains: " + containerFraming);
      assertEquals(List.of(), notReady, "/health/ready while fuzzed");
      assertTrue(sent.get() >= FRAMES, "frames sent within " + BUDGET + ": " + sent.get());
      assertTrue(answers.get() > sent.get() / 2, "answers " + answers.get() + " to " + sent.get());
      assertTrue(reader.isOpen(), "the reader is still connected");
      for (int i = 1; i < trades.size(); i++) {
        assertEquals(trades.get(i - 1)[0] + 1, trades.get(i)[0],
            "consecutive trade ids at " + i + " of " + trades.size());
        assertTrue(trades.get(i)[1] > trades.get(i - 1)[1], "rising x-seq at " + i);
      }
      assertFalse(reader.received().stream().anyMatch(f -> f.contains("\"x-gap\"")),
          "no gap marker on the reader's stream");
      assertEquals(200, ready().statusCode(), "ready after the fuzz");
    }
    // the fuzz's failed auths may have this address throttled for the IT gateway's failure window
    // (PT5S); the ITs after this one authenticate from it too
    Await.until("a valid authentication from this address again", WAIT, this::authenticates);
  }

  /** A fresh socket authenticates with a valid key (an exception or an error answer: not yet). */
  private boolean authenticates() {
    try (WsProbe probe = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"))) {
      probe.awaitText("connected", WAIT);
      probe.send(AUTH);
      Await.until("an answer to the auth", WAIT, () -> probe.received().stream()
          .anyMatch(f -> f.contains("\"authenticated\"") || f.contains("\"error\"")));
      return probe.received().stream().anyMatch(f -> f.contains("\"authenticated\""));
    } catch (Exception e) {
      return false;
    }
  }

  /** One fuzz socket after another until enough frames were sent (or the budget is spent). */
  private void fuzz(Random random, long deadline) {
    FuzzFrames frames = new FuzzFrames(random);
    while (sent.get() < FRAMES && System.nanoTime() < deadline) {
      boolean msgpack = random.nextInt(3) == 0;
      String path = PATHS.get(random.nextInt(PATHS.size()));
      boolean authenticate = random.nextBoolean();
      boolean flood = random.nextInt(FLOOD_ONE_IN) == 0;
      int count = flood ? 260 : 10 + random.nextInt(35); // under the burst of 50 with the auth
      List<FuzzFrames.Frame> planned = new ArrayList<>(count);
      try {
        for (int i = 0; i < count; i++) {
          planned.add(frames.next(msgpack));
        }
        // one session in four ends with a frame the container closes it for
        FuzzFrames.Frame last = !flood && random.nextInt(4) == 0 ? frames.fatal(msgpack) : null;
        session(path, msgpack, authenticate, flood, planned, last);
      } catch (IOException | InterruptedException | RuntimeException e) {
        count("worker:" + e.getClass().getSimpleName());
      }
    }
  }

  private void session(String path, boolean msgpack, boolean authenticate, boolean flood,
      List<FuzzFrames.Frame> planned, FuzzFrames.Frame last)
      throws IOException, InterruptedException {
    Map<String, String> headers = msgpack ? Map.of("Content-Type", "application/msgpack") : Map.of();
    RawWebSocket ws;
    try {
      ws = RawWebSocket.open(URI.create("ws://localhost:" + PORT + path), headers, WAIT);
    } catch (RawWebSocket.Refused refused) {
      count("handshake:" + refused.status());
      return;
    }
    sockets.incrementAndGet();
    long opened = System.nanoTime();
    java.time.Instant openedAt = java.time.Instant.now();
    Set<String> codes = ConcurrentHashMap.newKeySet();
    List<String> trace = new ArrayList<>(); // the kinds sent, for a violation's message
    long[] closedAt = {0};
    ws.closed().thenRun(() -> closedAt[0] = System.nanoTime());
    boolean sentEmpty = false; // an empty frame: see FuzzFrames.containerDefectExplains
    try (ws) {
      int expected = 1; // the greeting, then at least one answer per frame the server reads
      if (authenticate) {
        expected++;
        byte[] auth = FuzzFrames.encode(Map.of("action", "auth",
            "key", path.equals("/v2/iex") ? "iex-only" : "it-client",
            "secret", path.equals("/v2/iex") ? "iex-secret" : "it-client-secret"), msgpack);
        ws.send(msgpack ? RawWebSocket.BINARY : RawWebSocket.TEXT, auth);
      }
      for (FuzzFrames.Frame frame : planned) {
        if (ws.closed().isDone()) {
          break;
        }
        try {
          ws.send(frame.opcode(), frame.payload());
          sentEmpty |= frame.payload().length == 0;
          trace.add(frame.kind() + "/" + frame.payload().length);
          sent.incrementAndGet();
          expected++;
        } catch (IOException closedByServer) {
          break;
        }
      }
      if (!flood && !ws.awaitReceived(expected, WAIT)) {
        boolean inStep = FuzzFrames.readerInStep(ws);
        String described = path + (msgpack ? " msgpack" : " json") + ": " + ws.receivedCount()
            + " of " + expected + " answers within " + WAIT + ", "
            + (inStep ? "pong" : "no pong") + ", opened " + openedAt + ", port " + ws.localPort()
            + ", sent " + trace.size() + ", the last ones "
            + trace.subList(Math.max(0, trace.size() - 6), trace.size()) + ", large at "
            + largeFrames(trace);
        if (!inStep && FuzzFrames.containerDefectExplains(sentEmpty)) {
          count("stall by the container's frame reader");
          containerFraming.add(described);
        } else {
          violations.add(described);
        }
      }
      if (flood) {
        // the first message beyond the bucket is answered with 429 (docs/PROTOCOL.md, "Floods");
        // a flood is closed after 200 refusals since its bucket was full (429 first, then 1008)
        String where = path + (msgpack ? " msgpack" : " json");
        if (ws.await(f -> check(where, msgpack, f, codes), WAIT) == null
            && !ws.closed().isDone()) {
          violations.add(where + ": no 429 for a flood of " + planned.size() + " frames");
        }
      }
      boolean fatal = false;
      if (last != null && !ws.closed().isDone()) {
        count("last:" + last.kind());
        fatal = true;
        try {
          ws.send(last.opcode(), last.payload());
          ws.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException closedByServer) {
          // the container may close before reading it all
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          violations.add(path + ": still open after a " + last.kind() + " frame");
        }
      }
      for (RawWebSocket.Frame answer : ws.drain()) {
        check(path, msgpack, answer, codes);
      }
      if (ws.closed().isDone()) {
        int code = ws.closed().join();
        // a container closing on a frame it refuses may reset the TCP connection while the client
        // still sends, and the reset discards its close frame (RFC 6455 §7.1.1 lets the server
        // close TCP first): 1006 there only
        // the same when an answer said it closes (402 third failure, 409...) while the client sends
        codes.retainAll(CLOSING);
        boolean reset = (fatal || !codes.isEmpty()) && code == RawWebSocket.ABNORMAL;
        count("close:" + code + (reset ? " after " + (fatal ? last.kind() : codes) : ""));
        // Liberty refuses a frame over its limit (1009) but may go on parsing the rest of that
        // frame's payload as frames and close with 1002 (FFDC "Reserved frame must be 0")
        boolean overLimit = fatal && "over-1MiB".equals(last.kind()) && code == 1002;
        long closedAfterMillis = (closedAt[0] - opened) / 1_000_000;
        String described = path + (msgpack ? " msgpack" : " json") + ": closed with " + code
            + " (flood " + flood + ", " + ws.receivedCount() + " answers, " + closedAfterMillis
            + " ms to the close, opened " + openedAt + ", port " + ws.localPort() + ", last "
            + (fatal ? last.kind() : "none") + ", answers said " + codes + ", sent "
            + trace.size() + ", the last ones "
            + trace.subList(Math.max(0, trace.size() - 6), trace.size()) + ", large at "
            + largeFrames(trace) + ")";
        if ((code == 1002 || (code == RawWebSocket.ABNORMAL && !reset)) && !fatal
            && FuzzFrames.containerDefectExplains(sentEmpty)) {
          count("close:" + code + " by the container's frame reader");
          containerFraming.add(described);
        } else if (!CLOSE_CODES.contains(code) && !reset && !overLimit) {
          violations.add(described);
        }
      }
    }
  }

  /** Where in the session frames of 64 KiB and more were sent (index/kind/size), for a violation. */
  private static List<String> largeFrames(List<String> trace) {
    List<String> large = new ArrayList<>();
    for (int i = 0; i < trace.size(); i++) {
      String t = trace.get(i);
      if (Integer.parseInt(t.substring(t.lastIndexOf('/') + 1)) >= 65536) {
        large.add(i + ":" + t);
      }
    }
    return large;
  }

  /**
   * One answer: in the session's format, an array of messages each with a known type; true when
   * it holds a 429.
   */
  private boolean check(String path, boolean msgpack, RawWebSocket.Frame answer, Set<String> codes) {
    answers.incrementAndGet();
    String where = path.contains(" ") ? path : path + (msgpack ? " msgpack" : " json");
    if (answer.opcode() != (msgpack ? RawWebSocket.BINARY : RawWebSocket.TEXT)) {
      violations.add(where + ": answer in the other format, opcode " + answer.opcode());
      return false;
    }
    boolean tooMany = false;
    try {
      List<String[]> messages = msgpack ? unpack(answer.payload()) : parse(answer.text());
      for (String[] m : messages) {
        String type = m[0];
        if (type == null || !(CONTROL_TYPES.contains(type) || type.matches("[a-z]"))) {
          violations.add(where + ": message type " + type);
        } else if (type.equals("error")) {
          count("error:" + m[1]);
          if (m[1] == null || !ERROR_CODES.contains(Integer.parseInt(m[1])) || m[2] == null) {
            violations.add(where + ": error " + m[1] + " " + m[2]);
          }
          tooMany |= "429".equals(m[1]);
          codes.add(m[1]);
        }
      }
    } catch (RuntimeException | IOException unreadable) {
      violations.add(where + ": unreadable answer " + unreadable);
    }
    return tooMany;
  }

  /** Each element of a JSON frame as {type, code, msg}. */
  private static List<String[]> parse(String text) {
    List<String[]> messages = new ArrayList<>();
    JsonArray array;
    try {
      array = Json.createReader(new StringReader(text)).readArray();
    } catch (JsonException | ClassCastException e) {
      throw new IllegalStateException("not a JSON array: " + text, e);
    }
    for (JsonValue v : array) {
      JsonObject o = v.asJsonObject();
      messages.add(new String[] {
        o.containsKey("T") ? o.getString("T") : null,
        o.containsKey("code") ? String.valueOf(o.getInt("code")) : null,
        o.containsKey("msg") ? o.getString("msg") : null});
    }
    return messages;
  }

  private static List<String[]> unpack(byte[] bytes) throws IOException {
    List<String[]> messages = new ArrayList<>();
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      Value frame = u.unpackValue();
      if (!frame.isArrayValue() || u.hasNext()) {
        throw new IllegalStateException("not one msgpack array");
      }
      for (Value v : frame.asArrayValue()) {
        Map<Value, Value> map = v.asMapValue().map();
        Value type = map.get(org.msgpack.value.ValueFactory.newString("T"));
        Value code = map.get(org.msgpack.value.ValueFactory.newString("code"));
        Value msg = map.get(org.msgpack.value.ValueFactory.newString("msg"));
        messages.add(new String[] {
          type == null ? null : type.asStringValue().asString(),
          code == null ? null : String.valueOf(code.asIntegerValue().asInt()),
          msg == null ? null : msg.asStringValue().asString()});
      }
    }
    return messages;
  }

  /** {id, x-seq} of every trade of the symbol the reader received, in order. */
  private static List<long[]> trades(WsProbe reader) {
    List<long[]> trades = new ArrayList<>();
    for (String frame : reader.received()) {
      Matcher m = TRADE.matcher(frame);
      while (m.find()) {
        trades.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
    }
    return trades;
  }

  private void count(String what) {
    tally.merge(what, 1, Integer::sum);
  }

  private static void watchReadiness(AtomicBoolean fuzzing, List<String> notReady) {
    while (fuzzing.get()) {
      try {
        HttpResponse<String> r = ready();
        if (r.statusCode() != 200) {
          notReady.add(r.statusCode() + " " + r.body());
        }
        Thread.sleep(250); // the polling interval of a readiness probe, not a wait for an outcome
      } catch (IOException e) {
        notReady.add(e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static HttpResponse<String> ready() throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/health/ready"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
