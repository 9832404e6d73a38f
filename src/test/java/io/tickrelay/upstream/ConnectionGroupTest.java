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
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.simulator.SimulatorSettings;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream's demand spread over connections of a small per-connection cap (2 pairs), against the
 * fake Alpaca over real sockets: connections open as demand grows and close as it shrinks, and
 * every wanted symbol's trades arrive.
 */
class ConnectionGroupTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final Set<String> traded = ConcurrentHashMap.newKeySet();
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

  private final List<SubscriptionRefused> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ConnectionGroup start(boolean keepWarm) throws Exception {
    return start(keepWarm, Integer.MAX_VALUE);
  }

  private ConnectionGroup start(boolean keepWarm, int maxConnections) throws Exception {
    transport.open();
    fake = FakeAlpaca.start(new SimulatorSettings(
        Credential.withPlainSecret(FakeAlpaca.KEY, FakeAlpaca.SECRET, Set.of("*")),
        SimulatorSettings.ALPACA_FEEDS, 10, Duration.ofSeconds(10), 50, Duration.ofSeconds(1)), -1);
    UpstreamProtocol capped = TunedProtocol.capped(AlpacaProtocol.stocks(), 2).withMaxConnections(maxConnections);
    UpstreamSettings settings = UpstreamConnectionTest.settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {}

      @Override
      public void subscriptionRefused(SubscriptionRefused refused) {
        refusals.add(refused);
      }

      @Override
      public void received(MarketDataReceived data) {
        data.events().forEach(e -> {
          if (e instanceof Trade t) {
            traded.add(t.symbol());
          }
        });
      }
    };
    group = new ConnectionGroup(new UpstreamDefinition(capped, settings, keepWarm), (d, s, l) ->
        new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()), listener, Clock.systemUTC(), tasks);
    group.start();
    return group;
  }

  private void change(Interest added, Interest removed) {
    group.demand(new DemandChanged(Streams.STOCKS, added, removed));
  }

  private boolean allLive(int count) {
    List<UpstreamStatus> statuses = group.statuses();
    return statuses.size() == count && statuses.stream().allMatch(UpstreamStatus::live);
  }

  @Test
  void pastTheLastAllowedConnectionDemandIsRefusedAs405AndNoConnectionOpens() throws Exception {
    start(false, 2);
    change(Interest.of(Channel.TRADES, "AAPL", "MSFT", "NVDA", "TSLA", "AMZN"), Interest.none());
    Await.until("two connections live", WAIT, () -> allLive(2));
    Await.until("the refusal", WAIT, () -> !refusals.isEmpty());
    assertEquals(List.of(new SubscriptionRefused(Streams.STOCKS, Interest.of(Channel.TRADES, "TSLA"), 405,
        "symbol limit exceeded")), refusals);
    assertEquals(2, group.statuses().size(), "no third connection");
    Await.until("the provider holds the four placed", WAIT, () -> fake.simulator().subscriptionsOf(FakeAlpaca.KEY)
        .equals(Interest.of(Channel.TRADES, "AAPL", "AMZN", "MSFT", "NVDA")));
  }

  @Test
  void demandBeyondTheCapOpensConnectionsAndShrinkingClosesThem() throws Exception {
    start(false);
    assertEquals(0, group.statuses().size(), "nothing wanted, not kept warm: no connection");

    change(Interest.of(Channel.TRADES, "AAPL", "MSFT", "NVDA", "TSLA", "AMZN"), Interest.none());
    Await.until("three connections live", WAIT, () -> allLive(3));
    assertEquals(List.of("test-stocks", "test-stocks#2", "test-stocks#3"),
        group.statuses().stream().map(UpstreamStatus::connection).toList());
    Await.until("trades of all five", WAIT, () -> traded.containsAll(Set.of("AAPL", "MSFT", "NVDA", "TSLA", "AMZN")));
    Await.until("the provider holds all five, over three sessions", WAIT, () ->
        fake.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(Interest.of(Channel.TRADES, "AAPL", "AMZN", "MSFT", "NVDA", "TSLA")));
    for (UpstreamConnection connection : group.connections()) {
      assertTrue(connection.currentDemand().symbolCount() <= 2, connection.status().connection());
    }

    // in symbol order: AAPL and AMZN on the first, MSFT and NVDA on the second, TSLA on the third
    assertEquals(Interest.of(Channel.TRADES, "TSLA"), group.demandOf(2));
    change(Interest.none(), Interest.of(Channel.TRADES, "TSLA")); // the third one's only pair
    Await.until("the third connection closed", WAIT, () -> allLive(2));
    Await.until("the provider sees two sessions", WAIT, () -> fake.simulator().sessions() == 2);

    change(Interest.of(Channel.TRADES, "GOOG"), Interest.of(Channel.TRADES, "AAPL"));
    assertEquals(Interest.of(Channel.TRADES, "AMZN", "GOOG"), group.demandOf(0), "the freed room is reused");
    traded.clear();
    Await.until("GOOG trades", WAIT, () -> traded.contains("GOOG"));
    Await.until("AAPL unsubscribed upstream", WAIT, () ->
        !fake.simulator().subscriptionsOf(FakeAlpaca.KEY).symbols(Channel.TRADES).contains("AAPL"));

    change(Interest.none(), Interest.of(Channel.TRADES, "AMZN", "GOOG", "MSFT", "NVDA"));
    Await.until("no connection left", WAIT, () -> group.statuses().isEmpty() && fake.simulator().sessions() == 0);
  }

  @Test
  void aWarmFirstConnectionStaysWhenItsDemandGoes() throws Exception {
    start(true);
    Await.until("the warm connection live", WAIT, () -> allLive(1));
    change(Interest.of(Channel.TRADES, "AAPL", "MSFT", "NVDA"), Interest.none());
    Await.until("two live", WAIT, () -> allLive(2));
    change(Interest.none(), Interest.of(Channel.TRADES, "AAPL", "MSFT", "NVDA"));
    Await.until("back to the warm one", WAIT, () -> allLive(1) && fake.simulator().sessions() == 1);
    assertEquals("test-stocks", group.statuses().get(0).connection());
  }
}
