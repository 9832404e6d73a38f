package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.TcpProxy;
import io.tickrelay.testing.WsProbe;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The error-strategy table and stall detection, row by row, against the fake Alpaca and a TCP relay
 * that can freeze, reset or refuse connections. No test sleeps: each waits for a condition.
 */
class UpstreamFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String WRONG_SECRET = "wrong-secret-value";

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<UpstreamStateChanged> changes = new CopyOnWriteArrayList<>();
  private final List<MarketDataReceived> data = new CopyOnWriteArrayList<>();
  private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logs.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private FakeAlpaca fake;
  private UpstreamConnection connection;

  @BeforeEach
  void captureLogs() {
    transport.open(); // the production transport: it turns refused upgrades into HandshakeRefused
    Logger.getLogger("io.tickrelay").addHandler(capture);
  }

  @AfterEach
  void stop() throws Exception {
    Logger.getLogger("io.tickrelay").removeHandler(capture);
    if (connection != null) {
      connection.stop();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (fake != null) {
      fake.close();
    }
    tasks.close();
    transport.close();
  }

  private UpstreamConnection start(UpstreamSettings settings) {
    return start(settings, transport);
  }

  private UpstreamConnection start(UpstreamSettings settings, Transport through) {
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {
        changes.add(change);
      }

      @Override
      public void received(MarketDataReceived received) {
        data.add(received);
      }

      @Override
      public void feedSelected(FeedSelected selected) {}
    };
    connection = new UpstreamConnection(AlpacaProtocol.stocks(), settings, through, tasks, listener, Clock.systemUTC());
    connection.start();
    return connection;
  }

  private TcpProxy proxy() throws Exception {
    TcpProxy proxy = new TcpProxy(0, new InetSocketAddress("localhost", fake.port()));
    closeables.add(proxy);
    return proxy;
  }

  private static UpstreamSettings settings(URI base, List<String> feeds, String secret) {
    return UpstreamConnectionTest.settings(base, feeds, secret);
  }

  private boolean receivedSince(Instant since) {
    return data.stream().anyMatch(d -> d.events().stream().anyMatch(e -> e.timestamp().isAfter(since)));
  }

  private void wantAapl() {
    connection.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "AAPL"), Interest.none()));
  }

  @Test
  void connectionLimitWaitsInsteadOfHammering() throws Exception {
    fake = FakeAlpaca.start();
    try (WsProbe holder = WsProbe.connect(URI.create(fake.baseUrl() + "/v2/iex"))) {
      holder.send("{\"action\":\"auth\",\"key\":\"" + FakeAlpaca.KEY + "\",\"secret\":\"" + FakeAlpaca.SECRET + "\"}");
      holder.awaitText("authenticated", WAIT);
      start(settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET));
      Await.until("a 406", WAIT, () -> fake.simulator().connectionLimitRefusals() == 1);
      Await.until("backing off", WAIT, () -> connection.status().state() == UpstreamState.BACKING_OFF);
      UpstreamStatus waiting = connection.status();
      assertEquals(406, waiting.lastError().code());
      Duration wait = Duration.between(waiting.since(), waiting.nextAttemptAt());
      assertTrue(wait.compareTo(Duration.ofMillis(1400)) >= 0, "waits the 406 period, not the backoff: " + wait);
      assertEquals(1, fake.simulator().connectionLimitRefusals(), "no second attempt inside the wait");
    }
    Await.until("the slot, once freed, is taken", WAIT, () -> connection.status().live());
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY));
  }

  @Test
  void handshakeThrottlingBacksOffWithAHigherFloor() throws Exception {
    fake = FakeAlpaca.start();
    TcpProxy proxy = proxy();
    proxy.refuseWith(429);
    start(settings(fake.baseUrlVia(proxy.port()), List.of("iex"), FakeAlpaca.SECRET));
    Await.until("the 429", WAIT, () -> connection.status().lastError() != null);
    UpstreamStatus refused = connection.status();
    assertEquals(429, refused.lastError().code());
    Duration wait = Duration.between(refused.lastError().at(), refused.nextAttemptAt());
    assertTrue(wait.compareTo(Duration.ofMillis(1150)) >= 0, "throttled floor, not 50 ms backoff: " + wait);
    proxy.refuseWith(0);
    Await.until("connected once the throttle lifts", WAIT, () -> connection.status().live());
  }

  @Test
  void frozenSocketIsDetectedByMissingPongsAndHealed() throws Exception {
    fake = FakeAlpaca.start();
    TcpProxy proxy = proxy();
    start(settings(fake.baseUrlVia(proxy.port()), List.of("iex"), FakeAlpaca.SECRET));
    wantAapl();
    Await.until("data", WAIT, () -> !data.isEmpty());
    assertNotNull(Await.value("a ping round trip", WAIT, () -> connection.status().pingRoundTrip()));
    Instant frozenAt = Instant.now();
    proxy.freeze();
    Await.until("the stall to be detected", WAIT,
        () -> changes.stream().anyMatch(c -> c.reason().contains("no pong")));
    Await.until("data again after the stall", WAIT, () -> receivedSince(Instant.now().minusMillis(100)) && connection.status().live());
    Duration healed = Duration.between(frozenAt, Instant.now());
    // ping every 200 ms + pong deadline 300 ms + reconnect: well inside a few seconds
    assertTrue(healed.compareTo(Duration.ofSeconds(5)) < 0, "healed in " + healed);
  }

  @Test
  void silentButAliveUpstreamIsDetectedByTheSilenceWindow() throws Exception {
    fake = FakeAlpaca.start();
    UpstreamSettings base = settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    start(new UpstreamSettings(base.name(), base.baseUrl(), base.feeds(), base.keyId(), base.secret(),
        base.authTimeout(), base.backoff(), base.connectionLimitWait(), base.throttledFloor(),
        base.pingInterval(), base.pongTimeout(), Duration.ofMillis(600),
        UpstreamSettings.SilenceCheck.ALWAYS, base.reprobeInterval(), 3));
    wantAapl();
    Await.until("data", WAIT, () -> !data.isEmpty());
    fake.simulator().faults().mute(true);
    Await.until("silence detected", WAIT, () -> changes.stream().anyMatch(c -> c.reason().contains("no data for")));
    fake.simulator().faults().mute(false);
    Instant after = Instant.now();
    Await.until("data after the mute", WAIT, () -> receivedSince(after));
  }

  @Test
  void abruptTcpResetsReconnectAndRestore() throws Exception {
    fake = FakeAlpaca.start();
    TcpProxy proxy = proxy();
    start(settings(fake.baseUrlVia(proxy.port()), List.of("iex"), FakeAlpaca.SECRET));
    wantAapl();
    for (int i = 0; i < 3; i++) {
      Await.until("live", WAIT, () -> connection.status().live());
      proxy.dropAbruptly();
      Instant dropped = Instant.now();
      Await.until("data after reset " + i, WAIT, () -> receivedSince(dropped));
    }
    assertTrue(connection.status().reconnects() >= 3);
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY));
  }

  @Test
  void wrongCredentialsMeanErrorSlowRetriesAndEscalation() throws Exception {
    fake = FakeAlpaca.start();
    UpstreamSettings base = settings(fake.baseUrl(), List.of("iex"), WRONG_SECRET);
    // backoff cap 150 ms here so three slow retries fit in the test
    start(new UpstreamSettings(base.name(), base.baseUrl(), base.feeds(), base.keyId(), base.secret(),
        base.authTimeout(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(150)),
        base.connectionLimitWait(), base.throttledFloor(), base.pingInterval(), base.pongTimeout(),
        Duration.ZERO, UpstreamSettings.SilenceCheck.OFF, base.reprobeInterval(), 3));
    Await.until("escalated", WAIT, () -> connection.status().escalated());
    UpstreamStatus status = connection.status();
    assertEquals(UpstreamState.ERROR, status.state());
    assertEquals(402, status.lastError().code());
    assertTrue(status.lastError().remedy().contains("APCA_API_SECRET_KEY"), status.lastError().remedy());
    assertTrue(logs.stream().anyMatch(r -> r.getLevel() == Level.SEVERE && r.getMessage().contains("ESCALATED")));
    for (LogRecord record : logs) {
      String text = record.getMessage() + (record.getThrown() == null ? "" : record.getThrown().toString());
      assertFalse(text.contains(WRONG_SECRET), "secret in a log line: " + text);
    }
    assertFalse(status.toString().contains(WRONG_SECRET));
  }

  /** The production transport, but every ping the connection sends is dropped: no pong ever comes. */
  private Transport swallowingPings() {
    java.util.Map<jakarta.websocket.Session, jakarta.websocket.Session> proxies =
        new java.util.concurrent.ConcurrentHashMap<>();
    java.util.function.Function<jakarta.websocket.Session, jakarta.websocket.Session> swallow =
        real -> proxies.computeIfAbsent(real, r -> (jakarta.websocket.Session) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {jakarta.websocket.Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("equals")) {
                return proxy == args[0];
              }
              if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
              }
              Object result = method.invoke(r, args);
              if (!method.getName().equals("getAsyncRemote")) {
                return result;
              }
              jakarta.websocket.RemoteEndpoint.Async async = (jakarta.websocket.RemoteEndpoint.Async) result;
              return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                  new Class<?>[] {jakarta.websocket.RemoteEndpoint.Async.class},
                  (p, m, a) -> m.getName().equals("sendPing") ? null : m.invoke(async, a));
            }));
    return (endpoint, config, uri) -> swallow.apply(transport.connect(new jakarta.websocket.Endpoint() {
      @Override
      public void onOpen(jakarta.websocket.Session session, jakarta.websocket.EndpointConfig c) {
        endpoint.onOpen(swallow.apply(session), c);
      }

      @Override
      public void onClose(jakarta.websocket.Session session, jakarta.websocket.CloseReason reason) {
        endpoint.onClose(swallow.apply(session), reason);
      }

      @Override
      public void onError(jakarta.websocket.Session session, Throwable error) {
        endpoint.onError(swallow.apply(session), error);
      }
    }, config, uri));
  }

  @Test
  void aLatePongWhileDataFlowsIsNotAStallButSilenceWithoutPongIs() throws Exception {
    fake = FakeAlpaca.start();
    UpstreamSettings base = settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    UpstreamSettings fastPings = new UpstreamSettings(base.name(), base.baseUrl(), base.feeds(),
        base.keyId(), base.secret(), base.authTimeout(), base.backoff(), base.connectionLimitWait(),
        base.throttledFloor(), Duration.ofMillis(100), Duration.ofMillis(300), Duration.ZERO,
        UpstreamSettings.SilenceCheck.OFF, base.reprobeInterval(), 3);
    start(fastPings, swallowingPings());
    Await.until("live", WAIT, () -> connection.status().live());
    wantAapl(); // trades flow (20 a second), pongs never come
    Await.until("data", WAIT, () -> !data.isEmpty());
    Instant flowing = Instant.now();
    Await.until("a dozen pong deadlines passed with data flowing", WAIT,
        () -> receivedSince(flowing.plusMillis(4000)));
    assertEquals(0, connection.status().reconnects(), "no false stall while data flows");
    assertEquals(null, connection.status().pingRoundTrip(), "no pong ever came back");
    // the upstream goes quiet: now a missing pong is a stall again
    fake.simulator().faults().mute(true);
    Await.until("the silent, pong-less connection taken for stalled", WAIT,
        () -> connection.status().reconnects() > 0);
    assertTrue(changes.stream().anyMatch(c -> c.reason().contains("no pong")), "stalled for the missing pong");
  }

  @Test
  void aSecretRotatedInConfigurationIsUsedAtTheNextReconnect() throws Exception {
    fake = FakeAlpaca.start();
    java.util.concurrent.atomic.AtomicReference<String> configured =
        new java.util.concurrent.atomic.AtomicReference<>(WRONG_SECRET);
    UpstreamSettings base = settings(fake.baseUrl(), List.of("iex"), WRONG_SECRET);
    // backoff cap 150 ms so the slow 402 retries come quickly
    start(new UpstreamSettings(base.name(), base.baseUrl(), base.feeds(), base.keyId(), base.secret(),
        base.authTimeout(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(150)),
        base.connectionLimitWait(), base.throttledFloor(), base.pingInterval(), base.pongTimeout(),
        Duration.ZERO, UpstreamSettings.SilenceCheck.OFF, base.reprobeInterval(), 3)
        .withCredentialSource(() -> new UpstreamSettings.Credentials(FakeAlpaca.KEY, configured.get())));
    Await.until("the stale secret refused", WAIT,
        () -> connection.status().lastError() != null && connection.status().lastError().code() == 402);
    configured.set(FakeAlpaca.SECRET); // the operator rotates the secret; no restart
    Await.until("live with the rotated secret", WAIT, () -> connection.status().live());
    wantAapl();
    Await.until("data", WAIT, () -> !data.isEmpty());
    for (LogRecord record : logs) {
      String text = record.getMessage() + (record.getThrown() == null ? "" : record.getThrown().toString());
      assertFalse(text.contains(WRONG_SECRET) || text.contains(FakeAlpaca.SECRET), "secret in a log line: " + text);
    }
  }

  @Test
  void symbolLimitKeepsTheConnectionAndTheChannelTheFeedLacksIsDropped() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake.baseUrl(), List.of("test"), FakeAlpaca.SECRET));
    Await.until("live", WAIT, () -> connection.status().live());
    connection.demand(new DemandChanged(Streams.STOCKS, 
        Interest.of(Channel.QUOTES, "FAKEPACA").plus(Interest.of(Channel.STATUSES, "FAKEPACA")), Interest.none()));
    Await.until("statuses dropped on test", WAIT,
        () -> connection.status().droppedChannels().getOrDefault("test", Set.of()).contains("statuses"));
    Await.until("quotes flowing", WAIT, () -> !data.isEmpty());
    fake.simulator().faults().symbolLimit(1);
    connection.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "FAKEPACA"), Interest.none()));
    Await.until("the 405", WAIT, () -> connection.status().lastError() != null && connection.status().lastError().code() == 405);
    assertTrue(connection.status().live(), "405 concerns one request, not the connection");
    assertEquals(Interest.of(Channel.QUOTES, "FAKEPACA"), fake.simulator().subscriptionsOf(FakeAlpaca.KEY));
  }

  @Test
  void internalErrorAndSlowClientReconnectAndAreCounted() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET));
    Await.until("live", WAIT, () -> connection.status().live());
    fake.simulator().sendError(AlpacaError.INTERNAL_ERROR);
    Await.until("reconnect after 500", WAIT, () -> connection.status().reconnects() == 1 && connection.status().live());
    fake.simulator().sendError(AlpacaError.SLOW_CLIENT);
    Await.until("reconnect after 407", WAIT, () -> connection.status().slowClientDisconnects() == 1 && connection.status().live());
  }

  @Test
  void anIllegalTransitionIsRefusedAndLoggedAsABug() {
    start(settings(URI.create("ws://localhost:1/none"), List.of("iex"), FakeAlpaca.SECRET)).stop();
    UpstreamConnection fresh = new UpstreamConnection(AlpacaProtocol.stocks(),
        settings(URI.create("ws://localhost:1/none"), List.of("iex"), FakeAlpaca.SECRET),
        transport, tasks, new UpstreamListener() {
          @Override
          public void stateChanged(UpstreamStateChanged change) {}

          @Override
          public void received(MarketDataReceived received) {}
        }, Clock.systemUTC());
    assertFalse(fresh.tryTransition(UpstreamState.CONNECTED, "skipping the handshake"));
    assertEquals(UpstreamState.DISCONNECTED, fresh.status().state());
    assertTrue(logs.stream().anyMatch(r -> r.getLevel() == Level.SEVERE && r.getMessage().contains("BUG: illegal transition")));
    assertTrue(fresh.tryTransition(UpstreamState.CONNECTING, "legal"));
  }

  @Test
  void stopLeavesNoSessionAndNoTimerBehind() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET));
    wantAapl();
    Await.until("data", WAIT, () -> !data.isEmpty());
    connection.stop();
    Await.until("the upstream session closed", WAIT, () -> fake.simulator().sessions() == 0);
    Await.until("no timers left", WAIT, () -> tasks.pendingTimers() == 0);
    assertEquals(UpstreamState.STOPPED, connection.status().state());
  }
}
