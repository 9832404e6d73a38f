package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.StalledReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Answers proportional to questions (issue 15, review H2 and M7), over real sockets against an
 * in-process hub: a client that asks for a large subscription state, stops reading and keeps
 * sending subscribes that change nothing is cut off by its byte budget; a close that waits for a
 * peer that does not read is forced after the grace.
 */
class AnswerBudgetTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String STALE = "{\"action\":\"subscribe\",\"trades\":[\"%s\"]}";

  /** Distinct 30-character symbols, as many as fit in a message of about 60 KB per channel. */
  static List<String> longSymbols(int count) {
    List<String> symbols = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      symbols.add(String.format("A%029d", i));
    }
    return symbols;
  }

  private static String subscribe(String channel, List<String> symbols) {
    return "{\"action\":\"subscribe\",\"" + channel + "\":[\"" + String.join("\",\"", symbols)
        + "\"]}";
  }

  /** Subscribes trades, quotes and bars of 1,800 long symbols: an answer of about 300 KB. */
  private static String bigState(StalledReader client) throws IOException {
    List<String> symbols = longSymbols(1800);
    for (String channel : List.of("trades", "quotes", "bars")) {
      client.sendText(subscribe(channel, symbols));
    }
    return symbols.get(0);
  }

  /** Sends one more subscribe that changes nothing; false once the socket is gone. */
  private static boolean sendStale(StalledReader client, String symbol) {
    try {
      client.sendText(String.format(STALE, symbol));
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  @Test
  void noOpSubscribesOfAClientThatStopsReadingAreCutOffByItsByteBudget() throws Exception {
    // the production limits: 8 MiB of waiting answers, 16,384 messages; the flood guard at 50/s
    try (HubServer server = new HubServer(HubServer.settings());
        StalledReader client =
            new StalledReader(server.port(), server.path("iex"), HubServer.KEY, HubServer.SECRET)) {
      ClientHub hub = server.hub();
      String symbol = bigState(client);
      Await.until("the big subscription held", WAIT, () -> server.demand.stream()
          .mapToInt(d -> d.added().symbolCount()).sum() >= 3 * 1800);
      int[] polls = {0};
      // one stale subscribe per other poll (25 a second, under the flood guard): each answer is
      // about 300 KB, so 200 of them (60 MB) are far past the budget plus the socket buffers
      Await.until("a 407 cut-off of the client that does not read", WAIT, () -> {
        if (hub.slowCutOffs() > 0) {
          return true;
        }
        if (polls[0]++ % 2 == 0 && polls[0] < 400) {
          sendStale(client, symbol);
        }
        return false;
      });
      assertEquals(0, hub.floodClosures(), "cut off for its backlog, not for its rate");
      Await.until("its socket closed and its slot free", WAIT, () -> hub.count() == 0);
      Await.until("its upstream demand released", WAIT, () -> server.demand.stream()
          .mapToInt(d -> d.removed().symbolCount()).sum() >= 3 * 1800);
    }
  }

  @Test
  void aFloodCloseOfAPeerThatStoppedReadingIsForcedWithinTheGrace() throws Exception {
    // a budget far above what this client queues, so only the flood guard and the grace act
    HubSettings base = HubServer.settings();
    Duration grace = Duration.ofSeconds(1);
    HubSettings settings = new HubSettings(base.credentials(), base.entitlements(),
        base.authTimeout(), base.maxClients(),
        new ClientOutbox.Limits(1 << 20, Duration.ofHours(1), 64 * 1024, 1L << 30, grace),
        Duration.ofHours(1), // the hub's own slow-close timer is out of the picture
        base.journalSize(), base.controlRate(), base.maxMessageBytes(), base.fanoutQueue(),
        base.batchWindow(), base.directWrites());
    try (HubServer server = new HubServer(settings);
        StalledReader client =
            new StalledReader(server.port(), server.path("iex"), HubServer.KEY, HubServer.SECRET)) {
      ClientHub hub = server.hub();
      String symbol = bigState(client);
      // far more than the flood guard allows (a burst of 100, then 200 refusals): the last ones
      // make the hub close it, behind answers that fill its socket buffers and that it never reads
      for (int i = 0; i < 400 && hub.floodClosures() == 0; i++) {
        if (!sendStale(client, symbol)) {
          break;
        }
      }
      Await.until("the flood close", WAIT, () -> hub.floodClosures() == 1);
      long closing = System.nanoTime();
      Await.until("the socket of the peer that does not read closed", WAIT, () -> hub.count() == 0);
      Duration took = Duration.ofNanos(System.nanoTime() - closing);
      assertTrue(took.compareTo(grace.plusSeconds(5)) < 0, "closed after " + took);
      List<DemandChanged> demand = server.demand;
      Await.until("its upstream demand released", WAIT, () -> demand.stream()
          .mapToInt(d -> d.removed().symbolCount()).sum() >= 3 * 1800);
    }
  }
}
