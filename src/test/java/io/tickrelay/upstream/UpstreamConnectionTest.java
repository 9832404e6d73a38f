package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream connection against the in-process fake Alpaca, over real sockets. */
class UpstreamConnectionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ClientManager client = ClientManager.createClient();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final Recorder recorder = new Recorder();
  private FakeAlpaca fake;
  private UpstreamConnection connection;

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.stop();
    }
    if (fake != null) {
      fake.close();
    }
    tasks.close();
    client.shutdown();
  }

  private UpstreamConnection connect(URI base, List<String> feeds, String secret) {
    return connect(settings(base, feeds, secret));
  }

  static UpstreamSettings settings(URI base, List<String> feeds, String secret) {
    return new UpstreamSettings("test-stocks", base, feeds, FakeAlpaca.KEY, secret,
        Duration.ofSeconds(5), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
        Duration.ofMillis(1500), Duration.ofMillis(1200), Duration.ofMillis(200),
        Duration.ofMillis(300), Duration.ZERO, UpstreamSettings.SilenceCheck.OFF,
        Duration.ofMinutes(15), 3);
  }

  private UpstreamConnection connect(UpstreamSettings settings) {
    connection =
        new UpstreamConnection(AlpacaProtocol.stocks(), settings, client::connectToServer, tasks, recorder, Clock.systemUTC());
    connection.start();
    return connection;
  }

  @Test
  void liveOnlyAfterAuthenticatedThenSubscribesToDemandAndRelaysTrades() throws Exception {
    fake = FakeAlpaca.start();
    connect(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    Await.until("connected", WAIT, () -> connection.status().live());
    List<UpstreamState> path = recorder.states();
    assertEquals(
        List.of(UpstreamState.CONNECTING, UpstreamState.AUTHENTICATING, UpstreamState.CONNECTED),
        path.subList(0, 3),
        "handshake first: live only once authenticated");

    connection.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "AAPL"), Interest.none()));
    Trade trade = Await.value("an AAPL trade", WAIT, () -> recorder.firstTrade("AAPL"));
    assertTrue(trade.price() > 0);
    assertEquals("iex", recorder.data.peek().feed());
  }

  @Test
  void reconnectsAfterDropsAndRestoresTheFullDemand() throws Exception {
    fake = FakeAlpaca.start();
    connect(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    connection.demand(
        new DemandChanged(Streams.STOCKS, 
            Interest.of(Channel.TRADES, "AAPL", "MSFT").plus(Interest.of(Channel.QUOTES, "NVDA")),
            Interest.none()));
    connection.demand(new DemandChanged(Streams.STOCKS, Interest.none(), Interest.of(Channel.TRADES, "MSFT")));
    for (int drop = 0; drop < 5; drop++) {
      Await.until("AAPL trades before drop " + drop, WAIT, () -> recorder.firstTrade("AAPL") != null);
      fake.simulator()
          .disconnectAll(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "fault"));
      Await.until("the drop to be noticed", WAIT, () -> !connection.status().live());
      recorder.data.clear();
      Await.until("reconnected", WAIT, () -> connection.status().live());
    }
    Await.until("AAPL trades after the drops", WAIT, () -> recorder.firstTrade("AAPL") != null);
    Await.until("NVDA quotes after the drops", WAIT, () -> recorder.has("NVDA"));
    assertFalse(recorder.hasTrade("MSFT"), "MSFT was removed from demand before the drops");
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY), "never two connections");
    assertEquals(5, connection.status().reconnects());
  }

  @Test
  void insufficientSubscriptionOnSipFallsBackToIex() throws Exception {
    fake = FakeAlpaca.start(FakeAlpaca.settings(Set.of("iex")), -1);
    connect(fake.baseUrl(), List.of("sip", "iex"), FakeAlpaca.SECRET);
    Await.until("connected", WAIT, () -> connection.status().live());
    assertEquals("iex", connection.status().feed());
    assertTrue(recorder.reasons().stream().anyMatch(r -> r.contains("409")), recorder.reasons().toString());
  }

  @Test
  void wrongCredentialsNeverGoLiveAndSayWhy() throws Exception {
    fake = FakeAlpaca.start();
    connect(fake.baseUrl(), List.of("iex"), "wrong-secret");
    Await.until("the 402", WAIT, () -> recorder.reasons().stream().anyMatch(r -> r.contains("402")));
    assertFalse(connection.status().live());
    assertFalse(recorder.reasons().toString().contains("wrong-secret"), "no secret in reasons");
  }

  @Test
  void upstreamNotThereYetIsRetriedUntilItIs() throws Exception {
    try (var probe = new java.net.ServerSocket(0)) {
      int port = probe.getLocalPort();
      probe.close();
      connect(URI.create("ws://localhost:" + port + "/fake/none"), List.of("iex"), FakeAlpaca.SECRET);
      Await.until("two failed attempts", WAIT, () -> connection.status().reconnects() >= 2);
      assertEquals(UpstreamState.BACKING_OFF, connection.status().state());
    }
  }

  @Test
  void stopClosesAndStaysStopped() throws Exception {
    fake = FakeAlpaca.start();
    connect(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    Await.until("connected", WAIT, () -> connection.status().live());
    connection.stop();
    assertEquals(UpstreamState.STOPPED, connection.status().state());
    Await.until("the simulator to see the close", WAIT, () -> fake.simulator().sessions() == 0);
  }

  /** Records what the connection produces. */
  private static final class Recorder implements UpstreamListener {
    final List<UpstreamStateChanged> changes = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<MarketDataReceived> data = new ConcurrentLinkedQueue<>();

    @Override
    public void stateChanged(UpstreamStateChanged change) {
      changes.add(change);
    }

    @Override
    public void received(MarketDataReceived received) {
      data.add(received);
    }

    List<UpstreamState> states() {
      return changes.stream().map(UpstreamStateChanged::to).toList();
    }

    List<String> reasons() {
      return changes.stream().map(UpstreamStateChanged::reason).toList();
    }

    Trade firstTrade(String symbol) {
      for (MarketDataReceived received : data) {
        for (MarketEvent event : received.events()) {
          if (event instanceof Trade t && t.symbol().equals(symbol)) {
            return t;
          }
        }
      }
      return null;
    }

    boolean hasTrade(String symbol) {
      return firstTrade(symbol) != null;
    }

    boolean has(String symbol) {
      return data.stream().flatMap(d -> d.events().stream()).anyMatch(e -> e.symbol().equals(symbol));
    }
  }
}
