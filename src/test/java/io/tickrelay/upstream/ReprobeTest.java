package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.simulator.SimulatorSettings;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed re-probe is make-before-break, against the fake Alpaca over real sockets (one
 * connection per key and feed, as Alpaca counts SIP and IEX apart): while fallen back to IEX the
 * re-probe opens SIP on a second connection, IEX stays live until SIP is authenticated and
 * subscribed, and the overlap is delivered once. A probe refused with 409 or failing otherwise (the
 * SIP slot taken: 406) leaves the gateway on IEX until the next period. The fake numbers AAPL's
 * trades 1, 2, 3... while anyone is subscribed, so a hole is a loss and a repeat a duplicate.
 */
class ReprobeTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<Long> tradeIds = new CopyOnWriteArrayList<>();
  private final List<String> feeds = new CopyOnWriteArrayList<>();
  private FakeAlpaca fake;
  private ConnectionGroup group;

  @AfterEach
  void stop() {
    if (group != null) {
      group.stop();
    }
    if (fake != null) {
      fake.close();
    }
    tasks.close();
    transport.close();
  }

  private UpstreamStatus only() {
    List<UpstreamStatus> all = group.statuses();
    return all.size() == 1 ? all.get(0) : null;
  }

  /** One connection whose feed reason holds every part, read once like {@link #liveOn}. */
  private boolean reasonContains(String... parts) {
    UpstreamStatus status = only();
    if (status == null) {
      return false;
    }
    for (String part : parts) {
      if (!status.feedReason().contains(part)) {
        return false;
      }
    }
    return true;
  }

  /** One connection, live on {@code feed}: the statuses read once (they change between reads). */
  private boolean liveOn(String feed) {
    UpstreamStatus status = only();
    return status != null && status.live() && status.feed().equals(feed);
  }

  private void tradesFlow(String what) {
    int before = tradeIds.size();
    Await.until(what, WAIT, () -> tradeIds.size() > before + 20);
  }

  @Test
  void clientsReceiveEveryTradeOnceAcrossFailedProbesAndTheMoveBackToSip() throws Exception {
    transport.open();
    fake = FakeAlpaca.start(new SimulatorSettings(
        Credential.withPlainSecret(FakeAlpaca.KEY, FakeAlpaca.SECRET, Set.of("*")),
        SimulatorSettings.ALPACA_FEEDS, 1, Duration.ofSeconds(10), 200, Duration.ofSeconds(1)), -1);
    fake.simulator().faults().denyFeeds(Set.of("sip"));
    UpstreamSettings base = UpstreamConnectionTest.settings(fake.baseUrl(), List.of("sip", "iex"), FakeAlpaca.SECRET);
    UpstreamSettings settings = new UpstreamSettings(base.name(), base.baseUrl(), base.feeds(), base.keyId(),
        base.secret(), base.authTimeout(), base.backoff(), base.connectionLimitWait(), base.throttledFloor(),
        base.pingInterval(), base.pongTimeout(), Duration.ZERO, UpstreamSettings.SilenceCheck.OFF,
        Duration.ofMillis(300), 3);
    group = new ConnectionGroup(new UpstreamDefinition(AlpacaProtocol.stocks(), settings, false),
        (d, s, l) -> new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()),
        new UpstreamListener() {
          @Override
          public void stateChanged(UpstreamStateChanged change) {}

          @Override
          public void received(MarketDataReceived data) {
            feeds.add(data.feed());
            data.events().forEach(e -> {
              if (e instanceof Trade t) {
                tradeIds.add(t.id());
              }
            });
          }
        }, Clock.systemUTC(), tasks);
    group.start();
    group.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "AAPL"), Interest.none()));

    Await.until("live on iex after the 409", WAIT, () -> liveOn("iex"));
    tradesFlow("trades on iex");
    Await.until("a probe refused with 409, iex kept", WAIT,
        () -> reasonContains("409", "staying on iex"));
    tradesFlow("trades on iex after a refused probe");

    fake.simulator().faults().denyFeeds(Set.of());
    try (WsProbe holder = WsProbe.connect(URI.create(fake.baseUrl() + "/v2/sip"))) {
      // someone else holds the SIP slot: probes fail with 406, not 409
      holder.send("{\"action\":\"auth\",\"key\":\"" + FakeAlpaca.KEY + "\",\"secret\":\"" + FakeAlpaca.SECRET + "\"}");
      holder.awaitText("authenticated", WAIT);
      int refusals = fake.simulator().connectionLimitRefusals();
      Await.until("two probes refused with 406", WAIT, () -> fake.simulator().connectionLimitRefusals() >= refusals + 2);
      tradesFlow("trades on iex while SIP probes fail");
      assertTrue(group.servingStatuses().stream().allMatch(st -> st.live() && st.feed().equals("iex")),
          "probes coming and going do not count against the serving connection (readiness)");
      Await.until("back to one connection, on iex, after the 406", WAIT,
          () -> liveOn("iex") && reasonContains("406"));
    }

    Await.until("moved to sip", WAIT, () -> liveOn("sip"));
    // the replaced IEX session drains for a while after the swap and the first copy of each trade
    // wins, so the first trades after it may all still come from IEX (a clean-clone CI run)
    Await.until("data from sip", WAIT, () -> feeds.contains("sip"));
    tradesFlow("trades on sip");
    group.stop();

    assertTrue(feeds.contains("iex") && feeds.contains("sip"), "data came from both feeds");
    List<Long> ids = new ArrayList<>(tradeIds);
    Set<Long> unique = new HashSet<>(ids);
    assertEquals(ids.size(), unique.size(), "a trade arrived twice");
    TreeSet<Long> sorted = new TreeSet<>(ids);
    assertEquals(sorted.last() - sorted.first() + 1, sorted.size(), "a trade was lost: " + missing(sorted));
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY), "one connection per feed at any time");
  }

  private static List<Long> missing(TreeSet<Long> sorted) {
    List<Long> holes = new ArrayList<>();
    for (long id = sorted.first(); id <= sorted.last() && holes.size() < 10; id++) {
      if (!sorted.contains(id)) {
        holes.add(id);
      }
    }
    return holes;
  }
}
