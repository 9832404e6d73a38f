package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.binance.BinanceProtocol;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Binance adapter's declared cap (1024 streams per connection) in a real {@link
 * ConnectionGroup}, against the Binance simulator over real sockets. Lives in the upstream
 * package because the group is package-private; it only uses the group, never changes it.
 */
class BinanceGroupTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String STREAM = Streams.crypto("binance");

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final Set<String> traded = ConcurrentHashMap.newKeySet();
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
  void moreThan1024StreamsOfDemandOpenASecondConnection() throws Exception {
    transport.open();
    fake = FakeBinance.start(BinanceSimulatorSettings.realistic(Set.of("BTCUSDT", "ZZZUSDT"), 20));
    BinanceProtocol protocol = new BinanceProtocol(BinanceSymbols.defaults(), 3, 1024, Duration.ZERO, Clock.systemUTC());
    UpstreamSettings settings = new UpstreamSettings("binance-test", fake.baseUrl(), List.of(BinanceProtocol.FEED),
        "public", "", Duration.ofSeconds(5), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
        Duration.ofMillis(1500), Duration.ofMillis(1200), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ZERO, UpstreamSettings.SilenceCheck.OFF, Duration.ofMinutes(15), 3);
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {}

      @Override
      public void received(MarketDataReceived data) {
        data.events().forEach(e -> {
          if (e instanceof CryptoTrade t) {
            traded.add(t.symbol());
          }
        });
      }
    };
    group = new ConnectionGroup(new UpstreamDefinition(protocol, settings, false), (d, s, l) ->
        new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()), listener, Clock.systemUTC(), tasks);
    group.start();

    List<String> symbols = new ArrayList<>();
    symbols.add("BTC/USDT"); // sorts first: on the first connection
    for (int i = 0; i < 1099; i++) {
      symbols.add("S" + String.format("%04d", i) + "/USDT");
    }
    symbols.add("ZZZ/USDT"); // sorts last: on the second connection
    group.demand(new DemandChanged(STREAM, Interest.of(java.util.Map.of(Channel.TRADES, symbols)), Interest.none()));

    Await.until("two connections live", WAIT, () -> group.statuses().size() == 2
        && group.statuses().stream().allMatch(UpstreamStatus::live));
    Await.until("the simulator holding 1024 + 77 streams on two sessions", WAIT, () -> fake.simulator().sessionStreams()
        .stream().map(Set::size).sorted().toList().equals(List.of(77, 1024)));
    Await.until("trades from both connections", WAIT, () -> traded.containsAll(Set.of("BTC/USDT", "ZZZ/USDT")));
    assertEquals(0, fake.simulator().rateDisconnects(), "1100 streams restored without a rate disconnect");
    assertEquals(2, fake.simulator().connectionsOpened());
  }
}
