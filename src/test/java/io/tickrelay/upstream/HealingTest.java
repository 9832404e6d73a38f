package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.VirtualTime;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How fast and how truly a connection heals, on a controllable clock against the fake Alpaca over
 * real sockets: the timers (backoff, pings, silence) run in virtual time, the sockets in real time.
 */
class HealingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant MONDAY_NOON_NEW_YORK = Instant.parse("2024-07-22T16:00:00Z");

  private final TyrusTransport transport = new TyrusTransport();
  private final VirtualTime time = new VirtualTime(MONDAY_NOON_NEW_YORK);
  private final List<UpstreamStateChanged> changes = new CopyOnWriteArrayList<>();
  private final List<SubscriptionRefused> refusals = new CopyOnWriteArrayList<>();
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
    time.close();
    transport.close();
  }

  /** The production defaults, pings an hour apart unless a test wants them. */
  private static UpstreamSettings settings(FakeAlpaca fake, Duration pingInterval) {
    UpstreamSettings d = UpstreamSettings.defaults("heal", fake.baseUrl(), List.of("iex"), FakeAlpaca.KEY, FakeAlpaca.SECRET);
    return new UpstreamSettings(d.name(), d.baseUrl(), d.feeds(), d.keyId(), d.secret(), d.authTimeout(),
        d.backoff(), d.connectionLimitWait(), d.throttledFloor(), pingInterval, d.pongTimeout(),
        Duration.ofSeconds(60), UpstreamSettings.SilenceCheck.ALWAYS, d.reprobeInterval(), d.escalateAfter());
  }

  private void start(UpstreamSettings settings) throws Exception {
    transport.open();
    connection = new UpstreamConnection(AlpacaProtocol.stocks(), settings, transport, time,
        new UpstreamListener() {
          @Override
          public void stateChanged(UpstreamStateChanged change) {
            changes.add(change);
          }

          @Override
          public void received(MarketDataReceived data) {}

          @Override
          public void subscriptionRefused(SubscriptionRefused refused) {
            refusals.add(refused);
          }
        }, time);
    connection.start();
    time.advance(Duration.ZERO); // the first connect is due at once
    Await.until("live", WAIT, () -> connection.status().live());
  }

  /** Drops the upstream session and waits until the connection has scheduled its next attempt. */
  private Duration dropAndReadDelay() {
    int before = connection.status().reconnects();
    fake.simulator().disconnectAll(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "fault"));
    Await.until("the drop noticed", WAIT, () -> connection.status().reconnects() > before);
    UpstreamStatus status = connection.status();
    return Duration.between(status.since(), status.nextAttemptAt());
  }

  private void reconnect(Duration after) {
    time.advance(after);
    Await.until("live again", WAIT, () -> connection.status().live());
  }

  @Test
  void theFirstReconnectAfterAHealthySessionGoesAtOnceThenTheBackoffAsBefore() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake, Duration.ofHours(1)));
    time.advance(Duration.ofSeconds(31)); // healthy for longer than healthy-after (30 s)

    Duration first = dropAndReadDelay();
    assertTrue(first.compareTo(Duration.ofMillis(100)) <= 0, "after a healthy session at once, small jitter: " + first);

    reconnect(first);
    Duration second = dropAndReadDelay(); // this session lived 0 s: not healthy
    assertTrue(second.compareTo(Duration.ofMillis(500)) >= 0,
        "a session that was not healthy for a while waits the initial backoff (1 s, equal jitter): " + second);
  }

  @Test
  void aQuietStreamThatAuthenticatesAfterEachDropNeverDriftsToLongDelaysOrEscalates() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake, Duration.ofHours(1))); // no demand: no data ever arrives
    for (int drop = 1; drop <= 6; drop++) {
      Duration delay = dropAndReadDelay();
      assertTrue(delay.compareTo(Duration.ofSeconds(1)) <= 0,
          "drop " + drop + ": each session authenticated, so the backoff starts afresh: " + delay);
      reconnect(delay);
      UpstreamStatus status = connection.status();
      assertEquals(0, status.consecutiveFailures(), "authenticated: the failure run is over");
      assertFalse(status.escalated(), "a quiet but authenticating upstream is not escalated");
    }
    assertEquals(6, connection.status().reconnects());
  }

  private void want(Interest interest) {
    connection.demand(new DemandChanged(Streams.STOCKS, interest, Interest.none()));
  }

  /** Moves virtual time on in ping intervals, letting each ping's real pong come back before the next step. */
  private void live(Duration span, Duration pingInterval) {
    for (Duration passed = Duration.ZERO; passed.compareTo(span) < 0; passed = passed.plus(pingInterval)) {
      time.advance(pingInterval);
      Await.until("the pong", WAIT, () -> !connection.awaitingPong());
    }
  }

  @Test
  void aQuietStreamStaysConnectedAndUnescalatedForAnHourWhilePingsAreAnswered() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake, Duration.ofSeconds(10))); // silence window 60 s, applied always
    want(Interest.of(Channel.STATUSES, "AAPL").plus(Interest.of(Channel.DAILY_BARS, "AAPL")));
    live(Duration.ofHours(1), Duration.ofSeconds(10));
    UpstreamStatus status = connection.status();
    assertEquals(UpstreamState.CONNECTED, status.state(), status.reason());
    assertEquals(0, status.reconnects(), "sparse channels are quiet, not stalled");
    assertFalse(status.escalated());
    assertNotNull(status.pingRoundTrip(), "pings answered all along");
    assertTrue(changes.stream().noneMatch(c -> c.to() == UpstreamState.BACKING_OFF), changes.toString());
  }

  @Test
  void theSilenceWindowOfASteadyChannelCountsFromWhenItWasWanted() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake, Duration.ofSeconds(10)));
    want(Interest.of(Channel.STATUSES, "AAPL"));
    live(Duration.ofMinutes(10), Duration.ofSeconds(10));
    fake.simulator().faults().mute(true); // sockets open, pongs answered, no data
    want(Interest.of(Channel.TRADES, "AAPL"));
    live(Duration.ofSeconds(50), Duration.ofSeconds(10));
    assertEquals(0, connection.status().reconnects(), "ten quiet minutes on statuses do not count against trades");
    live(Duration.ofSeconds(20), Duration.ofSeconds(10));
    assertEquals(1, connection.status().reconnects(), "but trades silent past the window are a stall");
    assertTrue(changes.stream().anyMatch(c -> c.reason().contains("no data for")), changes.toString());
  }

  @Test
  void symbolsRefusedWith405LeaveTheHeldSetAndTheNextRestoreKeepsEverythingElse() throws Exception {
    fake = FakeAlpaca.start();
    start(settings(fake, Duration.ofHours(1)));
    Interest accepted = Interest.of(Channel.TRADES, "AAPL", "MSFT");
    want(accepted);
    Await.until("AAPL and MSFT held upstream", WAIT, () -> fake.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(accepted));
    fake.simulator().faults().symbolLimit(2); // the plan's cap

    want(Interest.of(Channel.TRADES, "TSLA")); // a subscribe refused: 405
    Await.until("the refusal of TSLA", WAIT, () -> refusals.size() == 1);
    assertEquals(new SubscriptionRefused(Streams.STOCKS, Interest.of(Channel.TRADES, "TSLA"), 405,
        refusals.get(0).reason()), refusals.get(0));
    assertEquals(accepted, connection.currentDemand(), "the refused symbol left the held set");
    assertTrue(connection.status().live(), "405 concerns one request, not the connection");

    Duration delay = dropAndReadDelay();
    want(Interest.of(Channel.TRADES, "NVDA")); // wanted while down: part of the next restore
    reconnect(delay);
    Await.until("the refusal of NVDA at restore", WAIT, () -> refusals.size() == 2);
    assertEquals(Interest.of(Channel.TRADES, "NVDA"), refusals.get(1).interest(),
        "only what was never accepted is refused, not the whole restore");
    Await.until("the rest restored", WAIT, () -> fake.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(accepted));
    assertEquals(accepted, connection.currentDemand());
  }
}
