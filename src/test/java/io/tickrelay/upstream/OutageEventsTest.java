package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import jakarta.websocket.CloseReason;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outage events over real sockets against the fake upstream: each drop of a live connection is one
 * {@link UpstreamInterrupted} naming what it held, followed by one {@link UpstreamRestored} once the
 * reconnect is live and resubscribed; a connection let go during its outage closes it with nothing
 * restored.
 */
class OutageEventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Interest AAPL = Interest.of(Channel.TRADES, "AAPL");

  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<Object> outages = new CopyOnWriteArrayList<>();
  private final AtomicInteger frames = new AtomicInteger();
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

  private void start() throws Exception {
    transport.open();
    fake = FakeAlpaca.start();
    UpstreamSettings settings = UpstreamConnectionTest.settings(fake.baseUrl(), List.of("iex"), FakeAlpaca.SECRET);
    UpstreamListener listener = new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {}

      @Override
      public void received(MarketDataReceived data) {
        frames.incrementAndGet();
      }

      @Override
      public void interrupted(UpstreamInterrupted interrupted) {
        outages.add(interrupted);
      }

      @Override
      public void restored(UpstreamRestored restored) {
        outages.add(restored);
      }
    };
    group = new ConnectionGroup(new UpstreamDefinition(AlpacaProtocol.stocks(), settings, false), (d, s, l) ->
        new UpstreamConnection(d.protocol(), s, transport, tasks, l, Clock.systemUTC()), listener,
        Clock.systemUTC(), tasks);
    group.start();
    group.demand(new DemandChanged(Streams.STOCKS, AAPL, Interest.none()));
  }

  @Test
  void eachDropIsOneInterruptedAndOneRestored() throws Exception {
    start();
    for (int drop = 1; drop <= 2; drop++) {
      int before = frames.get();
      Await.until("data flows", WAIT, () -> frames.get() > before + 3);
      fake.simulator().disconnectAll(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "test drop"));
      int pairs = drop * 2;
      Await.until("outage " + drop + " opened and closed", WAIT, () -> outages.size() >= pairs);
    }
    assertEquals(4, outages.size(), "one pair per drop: " + outages);
    for (int i = 0; i < 4; i += 2) {
      UpstreamInterrupted opened = (UpstreamInterrupted) outages.get(i);
      UpstreamRestored closed = (UpstreamRestored) outages.get(i + 1);
      assertEquals(AAPL, opened.interest());
      assertEquals("iex", opened.feed());
      assertTrue(opened.reason().contains("closed by upstream"), opened.reason());
      assertEquals(opened.connection(), closed.connection());
      assertEquals(opened.since(), closed.interruptedAt());
      assertFalse(closed.restoredAt().isBefore(closed.interruptedAt()));
      assertEquals(AAPL, closed.interrupted());
      assertEquals(AAPL, closed.restored());
    }
  }

  @Test
  void aConnectionLetGoDuringItsOutageClosesItWithNothingRestored() throws Exception {
    start();
    Await.until("data flows", WAIT, () -> frames.get() > 3);
    fake.close(); // nothing to reconnect to
    Await.until("outage opened", WAIT, () -> outages.size() == 1);
    group.demand(new DemandChanged(Streams.STOCKS, Interest.none(), AAPL));
    Await.until("outage closed", WAIT, () -> outages.size() == 2);
    UpstreamRestored closed = (UpstreamRestored) outages.get(1);
    assertTrue(closed.restored().isEmpty(), "nothing flows again: " + closed);
    fake = null;
  }
}
