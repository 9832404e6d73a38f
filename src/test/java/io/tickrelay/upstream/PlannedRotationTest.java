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
 * Planned make-before-break rotation against the fake upstream over real sockets, with the maximum
 * session age shortened to 1.5 s: across several rotations every trade the fake publishes arrives
 * exactly once (the fake numbers each symbol's trades 1, 2, 3... while it is subscribed, so a gap
 * is a loss and a repeat a duplicate), and the old session closes only after its replacement
 * overlapped it.
 */
class PlannedRotationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration MAX_AGE = Duration.ofMillis(1500);

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<Long> tradeIds = new CopyOnWriteArrayList<>();
  private final List<UpstreamStateChanged> changes = new CopyOnWriteArrayList<>();
  private final List<Object> outages = new CopyOnWriteArrayList<>();
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

  private void start(UpstreamProtocol protocol) throws Exception {
    transport.open();
    fake = FakeAlpaca.start(new SimulatorSettings(
        Credential.withPlainSecret(FakeAlpaca.KEY, FakeAlpaca.SECRET, Set.of("*")),
        SimulatorSettings.ALPACA_FEEDS, 3, Duration.ofSeconds(10), 200, Duration.ofSeconds(1)), -1);
    UpstreamSettings settings = UpstreamConnectionTest.settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {
        changes.add(change);
      }

      @Override
      public void interrupted(io.tickrelay.marketdata.UpstreamInterrupted interrupted) {
        outages.add(interrupted);
      }

      @Override
      public void received(MarketDataReceived data) {
        data.events().forEach(e -> {
          if (e instanceof Trade t) {
            tradeIds.add(t.id());
          }
        });
      }
    };
    group = new ConnectionGroup(new UpstreamDefinition(protocol, settings, false), (d, s, l) ->
        new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()), listener, Clock.systemUTC(), tasks);
    group.start();
    group.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "AAPL"), Interest.none()));
  }

  @Test
  void everyTradeArrivesExactlyOnceAcrossRotations() throws Exception {
    start(new TunedProtocol(AlpacaProtocol.stocks(), Integer.MAX_VALUE, MAX_AGE,
        data -> data.event() instanceof Trade t ? t.symbol() + "/" + t.id() : null));
    Await.until("three planned rotations", WAIT, () -> group.rotations() >= 3);
    int before = tradeIds.size();
    Await.until("trades after the last rotation", WAIT, () -> tradeIds.size() > before + 20);
    group.stop();

    List<Long> ids = new ArrayList<>(tradeIds);
    Set<Long> unique = new HashSet<>(ids);
    assertEquals(ids.size(), unique.size(), "a trade arrived twice: " + duplicates(ids));
    TreeSet<Long> sorted = new TreeSet<>(ids);
    assertEquals(1L, sorted.first(), "the first trade published is the first received");
    assertEquals(sorted.last() - sorted.first() + 1, sorted.size(), "a trade was lost: " + gaps(sorted));
    assertTrue(ids.size() > 100, "enough trades to tell: " + ids.size());
    assertTrue(fake.simulator().peakConnections(FakeAlpaca.KEY) >= 2,
        "make-before-break: the replacement was authenticated while the old session was still open");
    long stoppedByRotation = changes.stream().filter(c -> c.to() == UpstreamState.STOPPED).count();
    assertTrue(stoppedByRotation >= 3, "each rotation closed its old session: " + stoppedByRotation);
    assertTrue(changes.stream().noneMatch(c -> c.to() == UpstreamState.BACKING_OFF),
        "rotation is not a failure: " + changes);
    assertTrue(outages.isEmpty(), "a planned rotation loses nothing, so it is no outage: " + outages);
  }

  @Test
  void withoutARotationOneConnectionServesAndNothingIsFiltered() throws Exception {
    start(new TunedProtocol(AlpacaProtocol.stocks(), Integer.MAX_VALUE, Duration.ZERO, data -> null));
    Await.until("trades", WAIT, () -> tradeIds.size() > 50);
    assertEquals(0, group.rotations());
    assertEquals(1, group.statuses().size());
    assertEquals(1, fake.simulator().peakConnections(FakeAlpaca.KEY));
  }

  private static List<Long> duplicates(List<Long> ids) {
    Set<Long> seen = new HashSet<>();
    return ids.stream().filter(id -> !seen.add(id)).limit(10).toList();
  }

  private static List<Long> gaps(TreeSet<Long> sorted) {
    List<Long> missing = new ArrayList<>();
    for (long id = sorted.first(); id <= sorted.last() && missing.size() < 10; id++) {
      if (!sorted.contains(id)) {
        missing.add(id);
      }
    }
    return missing;
  }
}
