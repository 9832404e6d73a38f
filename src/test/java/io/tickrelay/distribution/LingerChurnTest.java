package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, memory under churn: letting go of upstream subscriptions after their linger must not
 * cost a timer per removal. Each drop of demand queued a task for the whole linger (60 s by
 * default), so connection churn, or one client subscribing and unsubscribing at its message rate,
 * held thousands of queued tasks per second of linger (the bench's churn phase: 17,800 after
 * 100,000 cycles). A fan-out now keeps at most one timer for all its lingering subscriptions.
 */
class LingerChurnTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int CYCLES = 30;

  private HubServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void repeatedDemandDropsQueueAtMostOneLingerTimer() throws Exception {
    server = new HubServer(HubServer.settings().withLinger(Duration.ofHours(1)));
    try (WsProbe client = WsProbe.connect(server.uri("sip"))) {
      client.awaitText("connected", WAIT);
      client.send("{\"action\":\"auth\",\"key\":\"client\",\"secret\":\"client-secret\"}");
      client.awaitText("authenticated", WAIT);
      int before = server.queuedTimers();
      for (int i = 0; i < CYCLES; i++) {
        client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
        client.send("{\"action\":\"unsubscribe\",\"trades\":[\"AAPL\"]}");
      }
      client.send("{\"action\":\"subscribe\",\"quotes\":[\"LAST\"]}");
      client.awaitText("\"LAST\"", WAIT);
      int queued = server.queuedTimers() - before;
      assertTrue(queued <= 1, "linger timers queued by " + CYCLES + " demand drops: " + queued);
      // still one upstream subscription for AAPL, held through every drop (the linger's purpose)
      Await.until("demand for LAST", WAIT, () -> server.demand.size() >= 2);
      assertEquals(1, server.demand.stream().filter(d -> d.added().symbols(
          io.tickrelay.marketdata.Channel.TRADES).contains("AAPL")).count(), "" + server.demand);
      assertEquals(0, server.demand.stream().filter(d -> !d.removed().isEmpty()).count(),
          "nothing let go within the linger: " + server.demand);
    }
  }
}
