package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.delivery.FrameSink;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The admission policy as the market-data hub applies it: silent sockets that failed header auth
 * give their slots back at the auth deadline, and a close racing a subscribe or an auth leaves no
 * subscription and no count behind.
 */
class AdmissionHubTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Map<String, String> WRONG =
      Map.of("APCA-API-KEY-ID", "nobody", "APCA-API-SECRET-KEY", "wrong");

  private static HubSettings with(int maxClients, Duration authTimeout, boolean directWrites) {
    HubSettings base = HubServer.settings();
    return new HubSettings(base.credentials(), base.entitlements(), authTimeout, maxClients,
        base.outbox(), base.slowCloseGrace(), base.journalSize(), base.controlRate(),
        base.maxMessageBytes(), base.fanoutQueue(), base.batchWindow(),
        directWrites ? base.directWrites() : null);
  }

  @Test
  void aRealClientGetsInOnceTheSilentOnesHoldingEverySlotWereTimedOut() throws Exception {
    List<WsProbe> silent = new ArrayList<>();
    try (HubServer server = new HubServer(with(3, Duration.ofMillis(500), true))) {
      for (int i = 0; i < 3; i++) {
        WsProbe probe = WsProbe.connect(server.uri("iex"), WRONG);
        silent.add(probe);
        assertTrue(probe.awaitText("\"code\":402", WAIT).contains("auth failed"));
      }
      try (WsProbe turnedAway = WsProbe.connect(server.uri("iex"))) {
        assertTrue(turnedAway.awaitText("error", WAIT).contains("\"code\":406"));
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, turnedAway.awaitClose(WAIT).getCloseCode());
      }
      for (WsProbe probe : silent) {
        assertTrue(probe.awaitText("\"code\":404", WAIT).contains("auth timeout"));
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, probe.awaitClose(WAIT).getCloseCode());
      }
      try (WsProbe real = WsProbe.connect(server.uri("iex"))) {
        real.send("{\"action\":\"auth\",\"key\":\"" + HubServer.KEY + "\",\"secret\":\"" + HubServer.SECRET + "\"}");
        real.awaitText("authenticated", WAIT);
        ClientFigures figures = server.hub().figures();
        assertEquals(1, figures.connected());
        assertEquals(3L, figures.refusals().get("authTimeout"));
        assertEquals(3L, figures.refusals().get("authFailed"));
        assertEquals(1L, figures.refusals().get("connectionCap"));
      }
    } finally {
      for (WsProbe probe : silent) {
        probe.close();
      }
    }
  }

  /**
   * M7: a client that stopped reading and floods is closed; its 429 cannot reach it (its socket
   * is full of acknowledgements), yet its slot and its subscriptions are given back.
   */
  @Test
  void aFlooderThatDoesNotReadIsLetGoWithItsSubscriptions() throws Exception {
    try (HubServer server = new HubServer(with(100, Duration.ofSeconds(2), false))) {
      try (io.tickrelay.testing.StalledReader stalled = new io.tickrelay.testing.StalledReader(
          server.port(), server.path("iex"), HubServer.KEY, HubServer.SECRET)) {
        // each acknowledgement of this subscribe lists every symbol four times (trades, quotes,
        // corrections, cancelErrors): about 100 KB the client never reads, so its socket fills
        StringBuilder symbols = new StringBuilder("\"FLOOD\"");
        for (int i = 0; i < 3500; i++) {
          symbols.append(",\"S").append(1000 + i).append('"');
        }
        String subscribe = "{\"action\":\"subscribe\",\"trades\":[" + symbols
            + "],\"quotes\":[" + symbols + "]}";
        stalled.sendText(subscribe);
        io.tickrelay.testing.Await.until("FLOOD demanded", WAIT, () -> server.demand.stream()
            .anyMatch(d -> d.added().symbols(io.tickrelay.marketdata.Channel.TRADES).contains("FLOOD")));
        for (int i = 0; i < 60; i++) {
          stalled.sendText(subscribe);
        }
        // then small messages, faster than the bucket refills: 200 refusals in a row close it
        for (int i = 0; i < 1000; i++) {
          stalled.sendText("{\"action\":\"subscribe\",\"trades\":[\"FLOOD\"]}");
        }
        io.tickrelay.testing.Await.until("the flooder to be closed", Duration.ofSeconds(30),
            () -> server.hub().floodClosures() == 1 || server.hub().slowCutOffs() == 1);
        io.tickrelay.testing.Await.until("its slot given back", WAIT, () -> server.hub().count() == 0);
        io.tickrelay.testing.Await.until("FLOOD released upstream", WAIT, () -> server.demand.stream()
            .anyMatch(d -> d.removed().symbols(io.tickrelay.marketdata.Channel.TRADES).contains("FLOOD")));
      }
    }
  }

  @Test
  void aCloseRacingSubscribesAndAuthsLeavesNoDemandAndNoCount() throws Exception {
    List<DemandChanged> demand = new CopyOnWriteArrayList<>();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ExecutorService racers = Executors.newFixedThreadPool(2);
    ClientHub hub = new ClientHub(with(100_000, Duration.ofMinutes(1), false), scheduler,
        demand::add, System::nanoTime);
    try {
      String narrow = "{\"action\":\"auth\",\"key\":\"narrow\",\"secret\":\"narrow\"}"; // 2 connections
      for (int i = 0; i < 3000; i++) {
        ClientSession client = hub.opened(new QuietSink("c" + i), "iex", Map.of());
        boolean authFirst = i % 2 == 0;
        if (authFirst) {
          hub.text(client, narrow);
        }
        String symbol = "S" + (i % 50);
        CountDownLatch go = new CountDownLatch(1);
        Future<?> message = racers.submit(() -> {
          await(go);
          hub.text(client, authFirst
              ? "{\"action\":\"subscribe\",\"trades\":[\"" + symbol + "\"]}" : narrow);
        });
        Future<?> close = racers.submit(() -> {
          await(go);
          hub.closed(client);
        });
        go.countDown();
        message.get(10, TimeUnit.SECONDS);
        close.get(10, TimeUnit.SECONDS);
      }
      assertEquals(0, hub.count());
      assertEquals(0, hub.figures().admitted());
      Interest held = Interest.none();
      for (DemandChanged change : demand) {
        held = held.plus(change.added()).minus(change.removed());
      }
      assertTrue(held.isEmpty(), "no dead session left subscribed: " + held);
      // the credential's two connections are both free again
      List<QuietSink> sinks = List.of(new QuietSink("after-1"), new QuietSink("after-2"));
      for (QuietSink sink : sinks) {
        hub.text(hub.opened(sink, "iex", Map.of()), narrow);
        assertTrue(sink.frames.stream().anyMatch(f -> f.contains("authenticated")), sink.frames.toString());
      }
    } finally {
      hub.closeAll();
      racers.shutdownNow();
      scheduler.shutdownNow();
    }
  }

  private static void await(CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A peer that takes every frame at once and remembers the text ones. */
  private static final class QuietSink implements FrameSink {
    final List<String> frames = new CopyOnWriteArrayList<>();
    private final String id;

    QuietSink(String id) {
      this.id = id;
    }

    @Override
    public void send(byte[] frame, Consumer<Throwable> done) {
      frames.add(new String(frame, java.nio.charset.StandardCharsets.UTF_8));
      done.accept(null);
    }

    @Override
    public void write(byte[] frame) {
      frames.add(new String(frame, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close(CloseReason reason) {}

    @Override
    public String id() {
      return id;
    }
  }
}
