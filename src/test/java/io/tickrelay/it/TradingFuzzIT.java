package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RawWebSocket;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trading stream ({@code /stream}) fuzzed on the real WAR: {@value #SOCKETS} sockets at once
 * send at least {@code fuzz.trading.frames} (20,000) hostile frames (the market-data fuzz's
 * {@link FuzzFrames}, and trading-stream messages made wrong: prefixes, flipped bytes, deep
 * nesting, wrong types, unknown actions, server frames sent back), some sockets after a valid
 * authentication, while a listener authenticated for {@code trade_updates} receives every fill the
 * trading simulator emits meanwhile, in order, and {@code /health/ready} stays UP. Every answer is
 * one of the trading stream's documented frames (docs/PROTOCOL.md, "Trading stream"), JSON in a
 * binary frame, and every close the server starts has a documented code. Failed authentications
 * use keys of their own (never it-client's, whose secret is only ever sent right). The seed is
 * printed: {@code -Dfuzz.seed=<seed>} replays the same frames per socket.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TradingFuzzIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration BUDGET = Duration.ofSeconds(60);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final int FRAMES = Integer.getInteger("fuzz.trading.frames", 20_000);
  private static final int SOCKETS = 12;
  private static final URI STREAM = URI.create("ws://localhost:" + PORT + "/stream");
  private static final URI ADMIN = URI.create("http://localhost:" + PORT + "/simulator/trading/admin");
  private static final String SYMBOL = "FZZT";
  /** alpaca-trade-api-js websockets.js and alpaca-py trading/stream.py send exactly this. */
  private static final String AUTH =
      "{\"action\":\"authenticate\",\"data\":{\"key_id\":\"it-client\",\"secret_key\":\"it-client-secret\"}}";
  private static final String LISTEN = "{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}";
  /** The gateway's {@code error_message}s on /stream (docs/PROTOCOL.md, "Trading stream"). */
  private static final Set<String> ERRORS = Set.of("invalid syntax", "missing action",
      "unrecognized action", "missing key or secret", "listen needs data.streams",
      "stream names must be strings", "message too long", "too many requests",
      "already authenticated", "connection limit exceeded", "auth timeout", "slow client");
  /** 1000 echoing ours; 1007 invalid UTF-8 and 1009 too big (the container); 1008, 1013 the gateway. */
  private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1007, 1008, 1009, 1013);
  /** Answers after which the gateway closes the connection. */
  private static final Set<String> CLOSING = Set.of("unauthorized", "too many requests",
      "connection limit exceeded", "auth timeout", "slow client");

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answers = new AtomicLong();
  private final AtomicLong sockets = new AtomicLong();
  private final ConcurrentMap<String, Integer> tally = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  /** Sessions broken by Open Liberty's empty-frame defect (FuzzFrames.containerDefectExplains). */
  private final List<String> containerFraming = new CopyOnWriteArrayList<>();

  /** The market-data upstream: without it /health/ready is DOWN whatever /stream does. */
  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void hostileFramesGetTradingStreamAnswersWhileAListenerMissesNoFill() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("TradingFuzzIT: seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
    try (RawWebSocket listener = RawWebSocket.open(STREAM, Map.of(), WAIT)) {
      listener.sendText(AUTH);
      assertNotNull(listener.await(f -> f.text().contains("\"authorized\""), WAIT), "authorized");
      listener.sendText(LISTEN);
      assertNotNull(listener.await(f -> f.text().contains("\"listening\""), WAIT), "listening");
      Await.until("the gateway's trading upstream to listen on the simulator", WAIT,
          () -> admin("GET", "").matches(".*\"listening\":[1-9].*"));
      long started = System.nanoTime();

      AtomicBoolean fuzzing = new AtomicBoolean(true);
      AtomicInteger fills = new AtomicInteger();
      List<String> notReady = new CopyOnWriteArrayList<>();
      Thread market = new Thread(() -> emitFills(fuzzing, fills), "fuzz-fills");
      market.setDaemon(true);
      market.start();
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
      market.join(WAIT.toMillis());
      health.join(WAIT.toMillis());
      double seconds = (System.nanoTime() - started) / 1e9;

      int emitted = fills.get();
      List<Integer> received = new ArrayList<>();
      Await.until("every fill at the listener", WAIT, () -> {
        collectFills(listener, received);
        return received.size() >= emitted;
      });
      System.out.printf("TradingFuzzIT: %d frames on %d sockets in %.1f s, %d answers; %s;"
              + " listener: %d of %d fills%n", sent.get(), sockets.get(), seconds, answers.get(),
          new TreeMap<>(tally), received.size(), emitted);

      assertEquals(List.of(), violations, "answers or closes outside the protocol");
      assertTrue(containerFraming.size() <= FuzzFrames.containerFramingErrorsAllowed(sent.get()),
          "Open Liberty's frame reader broke more sessions than its empty-frame defect explains: " + containerFraming);
      assertEquals(List.of(), notReady, "/health/ready while fuzzed");
      assertTrue(sent.get() >= FRAMES, "frames sent within " + BUDGET + ": " + sent.get());
      // each session that stayed open got one answer per frame (checked per session); many close
      // early (unauthorized, floods, fatal frames) with frames still in flight, unanswered
      assertTrue(answers.get() > sent.get() / 10, "answers " + answers.get() + " to " + sent.get());
      assertTrue(emitted >= 3, "fills emitted while fuzzing: " + emitted);
      List<Integer> expected = new ArrayList<>();
      for (int i = 1; i <= emitted; i++) {
        expected.add(i);
      }
      assertEquals(expected, received, "every fill, in order, once");
      assertTrue(!listener.closed().isDone(), "the listener is still connected");
      assertEquals(200, ready().statusCode(), "ready after the fuzz");
    }
    // the fuzz's failed auths have this address throttled for the IT gateway's failure window
    // (PT5S); the ITs after this one authenticate from it too
    Await.until("a valid authentication from this address again", WAIT, this::authenticates);
  }

  /** Emits a fill of quantity 1, 2, 3... every 100 ms while the fuzz runs. */
  private void emitFills(AtomicBoolean fuzzing, AtomicInteger fills) {
    while (fuzzing.get()) {
      int qty = fills.get() + 1;
      try {
        admin("POST", "?action=fill&symbol=" + SYMBOL + "&qty=" + qty + "&price=10.5");
        fills.set(qty);
        Thread.sleep(100); // the pace of a market, not a wait for an outcome
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (AssertionError e) {
        violations.add("fill " + qty + " not emitted: " + e.getMessage());
        return;
      }
    }
  }

  /** The quantities of the fills of {@link #SYMBOL} the listener got since the last call, in order. */
  private void collectFills(RawWebSocket listener, List<Integer> into) {
    for (RawWebSocket.Frame frame : listener.drain()) {
      JsonObject message = Json.createReader(new StringReader(frame.text())).readObject();
      if (!"trade_updates".equals(message.getString("stream", null))) {
        continue;
      }
      JsonObject data = message.getJsonObject("data");
      if ("fill".equals(data.getString("event", null))
          && SYMBOL.equals(data.getJsonObject("order").getString("symbol", null))) {
        into.add(Integer.parseInt(data.getString("qty")));
      }
    }
  }

  /** A fresh socket authenticates with a valid key (an exception or another answer: not yet). */
  private boolean authenticates() {
    try (RawWebSocket probe = RawWebSocket.open(STREAM, Map.of(), WAIT)) {
      probe.sendText(AUTH);
      RawWebSocket.Frame answer = probe.await(f -> f.text().contains("authorization"), WAIT);
      return answer != null && answer.text().contains("\"authorized\"");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** One fuzz socket after another until enough frames were sent (or the budget is spent). */
  private void fuzz(Random random, long deadline) {
    FuzzFrames market = new FuzzFrames(random);
    while (sent.get() < FRAMES && System.nanoTime() < deadline) {
      boolean authenticate = random.nextInt(4) == 0;
      boolean flood = random.nextInt(20) == 0;
      int count = flood ? 260 : 10 + random.nextInt(35); // under the burst of 50 with auth and listen
      List<FuzzFrames.Frame> planned = new ArrayList<>(count);
      try {
        for (int i = 0; i < count; i++) {
          planned.add(random.nextBoolean() ? market.next(random.nextInt(3) == 0) : trading(random));
        }
        // one session in four ends with a frame the container closes it for
        FuzzFrames.Frame last = !flood && random.nextInt(4) == 0 ? market.fatal(random.nextBoolean()) : null;
        session(authenticate, flood, planned, last);
      } catch (IOException | InterruptedException | RuntimeException e) {
        count("worker:" + e.getClass().getSimpleName());
      }
    }
  }

  private void session(boolean authenticate, boolean flood, List<FuzzFrames.Frame> planned,
      FuzzFrames.Frame last) throws IOException, InterruptedException {
    RawWebSocket ws;
    try {
      ws = RawWebSocket.open(STREAM, Map.of(), WAIT);
    } catch (RawWebSocket.Refused refused) {
      count("handshake:" + refused.status());
      return;
    }
    sockets.incrementAndGet();
    Set<String> closing = ConcurrentHashMap.newKeySet();
    boolean[] authorized = {false};
    boolean sentEmpty = false; // an empty frame: see FuzzFrames.containerDefectExplains
    try (ws) {
      int expected = 0; // one answer per frame the server reads; /stream sends no greeting
      if (authenticate) {
        ws.sendText(AUTH);
        ws.sendText(LISTEN);
        expected += 2;
      }
      for (FuzzFrames.Frame frame : planned) {
        if (ws.closed().isDone()) {
          break;
        }
        try {
          ws.send(frame.opcode(), frame.payload());
          sentEmpty |= frame.payload().length == 0;
          sent.incrementAndGet();
          expected++;
        } catch (IOException closedByServer) {
          break;
        }
      }
      if (!flood && !ws.awaitReceived(expected, WAIT)) {
        boolean inStep = FuzzFrames.readerInStep(ws);
        String described = ws.receivedCount() + " of " + expected + " answers within " + WAIT
            + ", " + (inStep ? "pong" : "no pong") + ", port " + ws.localPort();
        if (!inStep && FuzzFrames.containerDefectExplains(sentEmpty)) {
          count("stall by the container's frame reader");
          containerFraming.add(described);
        } else {
          violations.add(described);
        }
      }
      if (flood && ws.await(f -> check(f, closing, authorized), WAIT) == null && !ws.closed().isDone()) {
        violations.add("no answer to a flood of " + planned.size() + " frames");
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
          violations.add("still open after a " + last.kind() + " frame");
        }
      }
      for (RawWebSocket.Frame answer : ws.drain()) {
        check(answer, closing, authorized);
      }
      if (ws.closed().isDone()) {
        int code = ws.closed().join();
        // a server that closes while the client still sends may reset the TCP connection, and the
        // reset discards its close frame (RFC 6455 §7.1.1 lets the server close TCP first): 1006
        // only after a closing answer or a fatal frame
        boolean reset = (fatal || !closing.isEmpty()) && code == RawWebSocket.ABNORMAL;
        count("close:" + code + (reset ? " after " + (fatal ? last.kind() : closing) : ""));
        // Liberty refuses a frame over its limit (1009) but may go on parsing the rest of that
        // frame's payload as frames and close with 1002 (as in ProtocolFuzzIT)
        boolean overLimit = fatal && "over-1MiB".equals(last.kind()) && code == 1002;
        if ((code == 1002 || (code == RawWebSocket.ABNORMAL && !reset)) && !fatal
            && FuzzFrames.containerDefectExplains(sentEmpty)) {
          count("close:" + code + " by the container's frame reader");
          containerFraming.add("closed with " + code + " after " + closing);
        } else if (!CLOSE_CODES.contains(code) && !reset && !overLimit) {
          violations.add("closed with " + code + " after " + closing);
        }
      }
    }
  }

  /**
   * One answer: JSON in a binary frame, one of the trading stream's frames; a trade update only to
   * an authorized socket. True when it is an answer the gateway closes after.
   */
  private boolean check(RawWebSocket.Frame answer, Set<String> closing, boolean[] authorized) {
    answers.incrementAndGet();
    if (answer.opcode() != RawWebSocket.BINARY) {
      violations.add("answer in a frame of opcode " + answer.opcode() + ": " + answer.text());
      return false;
    }
    String said;
    try {
      said = kind(Json.createReader(new StringReader(answer.text())).readObject(), authorized);
    } catch (JsonException | IllegalStateException | ClassCastException | NullPointerException e) {
      violations.add("unreadable answer " + answer.text() + ": " + e);
      return false;
    }
    if (said == null) {
      violations.add("undocumented answer " + answer.text());
      return false;
    }
    count(said);
    if (CLOSING.contains(said.substring(said.indexOf(':') + 1))) {
      closing.add(said);
      return true;
    }
    return false;
  }

  /** What a trading-stream frame says ("error:invalid syntax", "authorization:authorized"...). */
  private static String kind(JsonObject m, boolean[] authorized) {
    JsonObject data = m.getJsonObject("data");
    String stream = m.containsKey("stream") ? m.getString("stream") : null;
    if (stream == null) {
      String message = "error".equals(m.getString("action", null)) ? data.getString("error_message") : null;
      return message != null && ERRORS.contains(message) ? "error:" + message : null;
    }
    switch (stream) {
      case "authorization": {
        String status = data.getString("status");
        String action = data.getString("action");
        if (!Set.of("authorized", "unauthorized").contains(status)
            || !Set.of("authenticate", "listen").contains(action)) {
          return null;
        }
        authorized[0] |= status.equals("authorized");
        return "authorization:" + status;
      }
      case "listening": {
        for (JsonValue name : data.getJsonArray("streams")) {
          if (!(name instanceof JsonString s) || !s.getString().equals("trade_updates")) {
            return null;
          }
        }
        return "listening:" + data.getJsonArray("streams").size();
      }
      case "trade_updates":
        return authorized[0] && data.containsKey("event") ? "trade_updates:" + data.getString("event") : null;
      default:
        return null;
    }
  }

  /** A trading-stream message, valid or made wrong; failed auths use keys no other IT uses. */
  private static FuzzFrames.Frame trading(Random random) {
    String key = pick(random, "fuzz-target", "nobody", "", "fuzz-target\u0000", "x".repeat(300));
    String secret = pick(random, "Fuzz-Target-Secret-2290", "wrong", "", "\"");
    String message = switch (random.nextInt(8)) {
      case 0 -> "{\"action\":\"authenticate\",\"data\":{\"key_id\":" + quote(key)
          + ",\"secret_key\":" + quote(secret) + "}}";
      case 1 -> "{\"action\":\"auth\",\"key\":" + quote(key) + ",\"secret\":" + quote(secret) + "}";
      case 2 -> "{\"action\":\"listen\",\"data\":{\"streams\":["
          + pick(random, "\"trade_updates\"", "\"account_updates\"", "\"\"", "1", "null", "[]", "{}")
          + "]}}";
      case 3 -> "{\"action\":\"listen\",\"data\":{\"streams\":"
          + pick(random, "\"trade_updates\"", "null", "{}", "1e999999999") + "}}";
      case 4 -> "{\"action\":" + pick(random, "\"LISTEN\"", "\"unlisten\"", "\"\"", "5", "null",
          "[\"listen\"]", "{\"a\":1}") + ",\"data\":{}}";
      case 5 -> "{\"stream\":\"trade_updates\",\"data\":{\"event\":\"fill\",\"order\":{\"symbol\":\"AAPL\"}}}";
      case 6 -> "{\"action\":\"authenticate\",\"data\":" + pick(random, "null", "[]", "\"x\"", "{}",
          "{\"key_id\":1,\"secret_key\":2}") + "}";
      default -> "[".repeat(1 + random.nextInt(5000)) + "]".repeat(random.nextInt(3));
    };
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    int opcode = random.nextInt(4) == 0 ? RawWebSocket.BINARY : RawWebSocket.TEXT;
    switch (random.nextInt(5)) {
      case 0:
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
        break;
      case 1:
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) (32 + random.nextInt(95));
        }
        break;
      default:
        break;
    }
    if (opcode == RawWebSocket.TEXT) { // a text frame must be valid UTF-8 (RFC 6455 §8.1)
      bytes = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }
    return new FuzzFrames.Frame(opcode, bytes, "trading");
  }

  private static String pick(Random random, String... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static String quote(String s) {
    return Json.createValue(s).toString();
  }

  private void count(String what) {
    tally.merge(what, 1, Integer::sum);
  }

  private String admin(String method, String query) {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(ADMIN + query)).timeout(WAIT)
              .method(method, HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(method + " " + ADMIN + query + ": " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError(method + " " + ADMIN + query + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void watchReadiness(AtomicBoolean fuzzing, List<String> notReady) {
    while (fuzzing.get()) {
      try {
        HttpResponse<String> r = ready();
        if (r.statusCode() != 200) {
          notReady.add(r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())));
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
            .timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
