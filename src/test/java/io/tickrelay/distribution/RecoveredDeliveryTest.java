package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backfilled events over real sockets against an in-process hub: what the journal shows was
 * delivered live (same symbol, venue and id) is dropped, the rest reaches a plain client as
 * ordinary trades, each once (issue 13, "each trade reaches a client exactly once").
 */
class RecoveredDeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + HubServer.KEY + "\",\"secret\":\"" + HubServer.SECRET + "\"}";
  /** After the subscriptions: a recovered trade from before the gateway held its symbol is dropped. */
  private static final Instant AT = Instant.now().plus(Duration.ofHours(1));
  private static final Pattern TRADE_ID = Pattern.compile("\"T\":\"t\",\"S\":\"AAPL\",\"i\":(\\d+),\"x\":\"(\\w)\"");

  private HubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new HubServer(HubServer.settings());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Trade trade(long id, String venue) {
    return new Trade("AAPL", id, venue, 1, 1, AT, List.of("@"), "C");
  }

  private void await(long head) {
    Await.until("journaled", WAIT, () -> server.hub().head(Streams.STOCKS) >= head);
  }

  @Test
  void recoveredTradesAlreadyDeliveredLiveAreDroppedAndTheRestArriveOnce() throws Exception {
    try (WsProbe client = WsProbe.connect(server.uri("iex"))) {
      client.send(AUTH);
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      client.awaitText("subscription", WAIT);
      long before = server.hub().head(Streams.STOCKS);
      server.hub().publish(Streams.STOCKS, List.of(trade(1, "V"), trade(2, "V")));
      long live = before + 2;
      await(live);
      List<MarketEvent> history = List.of(
          trade(2, "V"), // delivered live already
          trade(2, "Q"), // another venue's trade 2: a different trade
          trade(3, "V"),
          trade(3, "V"), // the provider's pages overlapping
          // traded before the gateway held AAPL upstream: not the stream's to deliver
          new Trade("AAPL", 9, "V", 1, 1, Instant.now().minusSeconds(60), List.of("@"), "C"));
      server.hub().recovered(Streams.STOCKS, history);
      await(live + 2); // 2Q and 3V journaled, nothing else
      server.hub().publish(Streams.STOCKS, List.of(trade(4, "V")));
      Await.until("the live trade after the backfill", WAIT,
          () -> String.join("", client.received()).contains("\"i\":4,"));
      StringBuilder seen = new StringBuilder();
      Matcher m = TRADE_ID.matcher(String.join("", client.received()));
      while (m.find()) {
        seen.append(m.group(1)).append(m.group(2)).append(' ');
      }
      assertEquals("1V 2V 2Q 3V 4V ", seen.toString());
      assertEquals(live + 3, server.hub().head(Streams.STOCKS), "nothing journaled twice");
    }
  }
  @Test
  void aRecoveredTradeOlderThanEverythingAWrappedJournalHoldsIsNotSentAgain() throws Exception {
    try (WsProbe client = WsProbe.connect(server.uri("iex"))) {
      client.send(AUTH);
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      client.awaitText("subscription", WAIT);
      long before = server.hub().head(Streams.STOCKS);
      List<MarketEvent> later = new java.util.ArrayList<>();
      for (int i = 1; i <= 1100; i++) { // more than the test hub's journal of 1000 holds
        later.add(new Trade("MSFT", i, "V", 1, 1, AT.plusSeconds(1), List.of("@"), "C"));
      }
      server.hub().publish(Streams.STOCKS, later);
      await(before + later.size());
      server.hub().recovered(Streams.STOCKS, List.of(
          trade(500, "V"), // before everything the journal still holds: unknowable, not sent
          new Trade("AAPL", 501, "V", 1, 1, AT.plusSeconds(2), List.of("@"), "C")));
      server.hub().publish(Streams.STOCKS,
          List.of(new Trade("AAPL", 502, "V", 1, 1, AT.plusSeconds(3), List.of("@"), "C")));
      Await.until("the live trade after the backfill", WAIT,
          () -> String.join("", client.received()).contains("\"i\":502,"));
      StringBuilder seen = new StringBuilder();
      Matcher m = TRADE_ID.matcher(String.join("", client.received()));
      while (m.find()) {
        seen.append(m.group(1)).append(' ');
      }
      assertEquals("501 502 ", seen.toString());
    }
  }
}
