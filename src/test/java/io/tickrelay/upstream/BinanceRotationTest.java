package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.binance.BinanceProtocol;
import io.tickrelay.binance.BinanceSimulator;
import io.tickrelay.binance.BinanceSimulatorSettings;
import io.tickrelay.binance.BinanceSymbols;
import io.tickrelay.binance.FakeBinance;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Binance's 24 h cut-off, compressed: the gateway replaces its connection after 2 s (the
 * adapter's max session age), the simulator would cut it at 3 s. Over several planned rotations,
 * every trade id the simulator published for the subscribed symbols arrives exactly once: no gap,
 * no duplicate. Lives in the upstream package because {@link ConnectionGroup} is package-private.
 */
class BinanceRotationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String STREAM = Streams.crypto("binance");

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<CryptoTrade> trades = new CopyOnWriteArrayList<>();
  private final List<UpstreamStateChanged> changes = new CopyOnWriteArrayList<>();
  private FakeBinance fake;
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

  @Test
  void everyPublishedTradeIdArrivesExactlyOnceAcrossRotations() throws Exception {
    rotateAndCount(BinanceSimulatorSettings.realistic(Set.of("BTCUSDT", "ETHBTC"), 100)
        .withMaxConnectionAge(Duration.ofSeconds(3)), Duration.ofSeconds(2), 300);
  }

  @Test
  void aServerShutdownNoticeRotatesMakeBeforeBreakToo() throws Exception {
    // the session age is far away: only the server's notice, 2.5 s before its 3 s cut-off, rotates
    rotateAndCount(BinanceSimulatorSettings.realistic(Set.of("BTCUSDT", "ETHBTC"), 100)
        .withMaxConnectionAge(Duration.ofSeconds(3))
        .withShutdownNotice(Duration.ofMillis(2500)), Duration.ofHours(1), 100);
    assertTrue(fake.simulator().shutdownNotices() >= 3, "rotated on notices");
  }

  private void rotateAndCount(
      BinanceSimulatorSettings simulator, Duration maxSessionAge, int enough) throws Exception {
    transport.open();
    fake = FakeBinance.start(simulator);
    BinanceProtocol protocol =
        new BinanceProtocol(BinanceSymbols.defaults(), 3, 1024, maxSessionAge, Clock.systemUTC());
    UpstreamSettings settings = new UpstreamSettings("binance-test", fake.baseUrl(), List.of(BinanceProtocol.FEED),
        "public", "", Duration.ofSeconds(5), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
        Duration.ofMillis(1500), Duration.ofMillis(1200), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ZERO, UpstreamSettings.SilenceCheck.OFF, Duration.ofMinutes(15), 3);
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {
        changes.add(change);
      }

      @Override
      public void received(MarketDataReceived data) {
        data.events().forEach(e -> {
          if (e instanceof CryptoTrade t) {
            trades.add(t);
          }
        });
      }
    };
    group = new ConnectionGroup(new UpstreamDefinition(protocol, settings, false), (d, s, l) ->
        new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()), listener, Clock.systemUTC(), tasks);
    group.start();
    group.demand(new DemandChanged(STREAM, Interest.of(Map.of(Channel.TRADES, List.of("BTC/USDT", "ETH/BTC"),
        Channel.QUOTES, List.of("BTC/USDT"))), Interest.none()));

    Await.until("three planned rotations", WAIT, () -> group.rotations() >= 3);
    int before = trades.size();
    Await.until("trades after the last rotation", WAIT, () -> trades.size() > before + 50);
    group.stop();

    for (String symbol : List.of("BTC/USDT", "ETH/BTC")) {
      List<Long> ids = trades.stream().filter(t -> t.symbol().equals(symbol)).map(CryptoTrade::id).toList();
      Set<Long> unique = new HashSet<>(ids);
      assertEquals(ids.size(), unique.size(), symbol + ": a trade arrived twice: " + duplicates(ids));
      TreeSet<Long> sorted = new TreeSet<>(ids);
      BinanceSimulator.TradeIds published = fake.simulator().tradeIds(symbol.replace("/", ""));
      assertEquals(published.first(), sorted.first(), symbol + ": the first trade published is the first received");
      assertEquals(sorted.last() - sorted.first() + 1, sorted.size(), symbol + ": a trade was lost: " + gaps(sorted));
      assertTrue(ids.size() > enough, symbol + ": enough trades to tell: " + ids.size());
    }
    assertEquals(0, fake.simulator().ageCloses(), "every connection was replaced before the server's cut-off");
    assertEquals(0, fake.simulator().rateDisconnects());
    assertTrue(fake.simulator().connectionsOpened() >= 4, "a new connection per rotation");
    assertTrue(changes.stream().noneMatch(c -> c.to() == UpstreamState.BACKING_OFF),
        "rotation is not a failure: " + changes);
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
