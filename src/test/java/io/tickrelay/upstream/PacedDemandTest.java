package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.binance.BinanceProtocol;
import io.tickrelay.binance.BinanceSimulatorSettings;
import io.tickrelay.binance.BinanceSymbols;
import io.tickrelay.binance.FakeBinance;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, review M10: Binance takes 5 control messages a second (the adapter paces them at 3),
 * so demand that churns faster must not queue one message per change. A burst of 300 changes
 * (distinct symbols subscribed and unsubscribed again) then one lasting subscribe: the paced queue
 * holds the net change, so the lasting one reaches the provider within seconds (not after the
 * 100 s that 300 paced messages take) and the provider holds exactly the demand.
 */
class PacedDemandTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String STREAM = Streams.crypto("binance");

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
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

  private static Interest trades(String symbol) {
    return Interest.of(Channel.TRADES, symbol);
  }

  @Test
  void churningDemandQueuesOnlyItsNetChange() throws Exception {
    transport.open();
    fake = FakeBinance.start(BinanceSimulatorSettings.realistic(Set.of("BTCUSDT", "ZZZUSDT"), 20));
    BinanceProtocol protocol =
        new BinanceProtocol(BinanceSymbols.defaults(), 3, 1024, Duration.ZERO, Clock.systemUTC());
    UpstreamSettings settings = new UpstreamSettings("binance-paced", fake.baseUrl(),
        List.of(BinanceProtocol.FEED), "public", "", Duration.ofSeconds(5),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofMillis(1500),
        Duration.ofMillis(1200), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO,
        UpstreamSettings.SilenceCheck.OFF, Duration.ofMinutes(15), 3);
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {}

      @Override
      public void received(MarketDataReceived data) {}
    };
    group = new ConnectionGroup(new UpstreamDefinition(protocol, settings, false), (d, s, l) ->
        new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()),
        listener, Clock.systemUTC(), tasks);
    group.start();
    group.demand(new DemandChanged(STREAM, trades("BTC/USDT"), Interest.none()));
    Await.until("the first subscription held", WAIT,
        () -> fake.simulator().sessionStreams().equals(List.of(Set.of("btcusdt@trade"))));

    for (int i = 0; i < 150; i++) { // 300 changes within milliseconds, 100 s of paced messages
      Interest churn = trades(String.format("C%04d/USDT", i));
      group.demand(new DemandChanged(STREAM, churn, Interest.none()));
      group.demand(new DemandChanged(STREAM, Interest.none(), churn));
    }
    group.demand(new DemandChanged(STREAM, trades("ZZZ/USDT"), Interest.none()));

    Await.until("the lasting subscribe held within seconds", Duration.ofSeconds(5),
        () -> fake.simulator().sessionStreams()
            .equals(List.of(Set.of("btcusdt@trade", "zzzusdt@trade"))));
    assertEquals(0, fake.simulator().rateDisconnects(), "never over Binance's message rate");
  }
}
