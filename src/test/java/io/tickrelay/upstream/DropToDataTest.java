package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import jakarta.websocket.CloseReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A report, not a timing assertion: the time from an upstream drop to the next market-data event
 * delivered, over 20 drops against the in-process fake Alpaca (20 trades/s), with the production
 * backoff (1 s initial) and a healthy-after shortened to 300 ms so each session counts as healthy.
 * Prints the median for docs/BENCHMARKS.md; asserts only a generous sanity bound.
 */
class DropToDataTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int DROPS = 20;
  private static final Duration HEALTHY_AFTER = Duration.ofMillis(300);

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private volatile long connectedAt;
  private volatile long droppedAt = Long.MAX_VALUE;
  private volatile long firstDataAfterDrop;
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
    transport.close();
  }

  @Test
  void dropToDataMedianIsReported() throws Exception {
    transport.open();
    fake = FakeAlpaca.start();
    UpstreamSettings settings = UpstreamSettings.defaults("drop-to-data", fake.baseUrl(), List.of("iex"),
            FakeAlpaca.KEY, FakeAlpaca.SECRET)
        .withQuickReconnect(new UpstreamSettings.QuickReconnect(HEALTHY_AFTER, Duration.ofMillis(100)));
    connection = new UpstreamConnection(AlpacaProtocol.stocks(), settings, transport, tasks, new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {
        if (change.to() == UpstreamState.CONNECTED) {
          connectedAt = System.nanoTime();
        }
      }

      @Override
      public void received(MarketDataReceived data) {
        long now = System.nanoTime();
        // data from the session after the drop only: frames the old one had read do not count
        if (firstDataAfterDrop == 0 && connectedAt > droppedAt) {
          firstDataAfterDrop = now;
        }
      }
    }, Clock.systemUTC());
    connection.start();
    connection.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "AAPL"), Interest.none()));

    List<Long> millis = new ArrayList<>();
    for (int drop = 0; drop < DROPS; drop++) {
      Await.until("live and healthy before drop " + drop, WAIT, () -> connection.status().live()
          && Duration.between(connection.status().since(), Instant.now()).compareTo(HEALTHY_AFTER) > 0);
      firstDataAfterDrop = 0;
      droppedAt = System.nanoTime();
      fake.simulator().disconnectAll(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "drop"));
      Await.until("data after drop " + drop, WAIT, () -> firstDataAfterDrop != 0);
      millis.add((firstDataAfterDrop - droppedAt) / 1_000_000);
    }
    Collections.sort(millis);
    long median = (millis.get(DROPS / 2 - 1) + millis.get(DROPS / 2)) / 2;
    System.out.printf("drop-to-data over %d drops: median %d ms, min %d ms, max %d ms (all: %s)%n",
        DROPS, median, millis.get(0), millis.get(DROPS - 1), millis);
    assertTrue(median < 1000, "sanity bound only: the median drop-to-data was " + median + " ms");
  }
}
