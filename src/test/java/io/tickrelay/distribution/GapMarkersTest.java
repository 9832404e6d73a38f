package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.GapClosing;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gap markers over real sockets against an in-process hub: an outage is an {@code x-gap} pair in
 * the stream, in sequence with the data around it, for sequenced clients only and only about their
 * own symbols; the closing marker waits for the {@link GapClosing} hook and names what it
 * backfilled; upstream subscriptions linger after their last client.
 */
class GapMarkersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + HubServer.KEY + "\",\"secret\":\"" + HubServer.SECRET + "\"}";
  private static final Instant DROP = Instant.parse("2026-11-20T15:30:02Z");
  private static final Instant BACK = Instant.parse("2026-11-20T15:30:03.5Z");
  private static final Interest HELD =
      Interest.of(Map.of(Channel.TRADES, List.of("AAPL", "MSFT"), Channel.QUOTES, List.of("AAPL")));

  private HubServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private WsProbe client(boolean sequence) throws Exception {
    WsProbe probe = WsProbe.connect(server.uri("iex"));
    probe.send(AUTH);
    probe.awaitText("authenticated", WAIT);
    if (sequence) {
      probe.send("{\"action\":\"x-options\",\"sequence\":true}");
      probe.awaitText("x-options", WAIT);
    }
    probe.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}");
    probe.awaitText("subscription", WAIT);
    return probe;
  }

  private void publish(MarketEvent... events) {
    long head = server.hub().head(Streams.STOCKS);
    server.hub().publish(Streams.STOCKS, List.of(events));
    Await.until("journaled", WAIT, () -> server.hub().head(Streams.STOCKS) >= head + events.length);
  }

  /** Hands a marker over and waits until it is journaled: the hand-off is asynchronous too. */
  private void marker(Runnable handOver) {
    long head = server.hub().head(Streams.STOCKS);
    handOver.run();
    Await.until("marker journaled", WAIT, () -> server.hub().head(Streams.STOCKS) > head);
  }

  private static Trade trade(long id) {
    return new Trade("AAPL", id, "V", 1, 1, DROP, List.of("@"), "C");
  }

  @Test
  void anOutageIsAMarkerPairInSequenceForSequencedClientsOnly() throws Exception {
    server = new HubServer(HubServer.settings());
    try (WsProbe sequenced = client(true); WsProbe plain = client(false)) {
      publish(trade(1));
      marker(() -> server.hub().interrupted(
          new UpstreamInterrupted(Streams.STOCKS, "alpaca-stocks", "sip", DROP, "closed by upstream: 1006", HELD)));
      publish(trade(2));
      marker(() -> server.hub().restored(
          new UpstreamRestored(Streams.STOCKS, "alpaca-stocks", "sip", DROP, BACK, HELD, HELD), GapClosing.NONE));
      publish(trade(3));

      sequenced.awaitText("\"i\":3", WAIT);
      String all = String.join("\n", sequenced.received());
      // a marker is a data message: it may share a frame with trades, so read the element alone
      Matcher element = Pattern.compile("\\{\"T\":\"x-gap\",\"state\":\"open\".*?\"x-seq\":\\d+\\}").matcher(all);
      assertTrue(element.find(), all);
      String open = element.group();
      assertEquals("{\"T\":\"x-gap\",\"state\":\"open\",\"stream\":\"stocks\",\"feed\":\"sip\","
          + "\"reason\":\"closed by upstream: 1006\",\"from\":\"2026-11-20T15:30:02Z\","
          + "\"covers\":{\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]},\"x-seq\":" + seq(open) + "}", open,
          "only the client's own symbols (not MSFT)");
      String closed = sequenced.received().stream().filter(f -> f.contains("\"state\":\"closed\"")).findFirst().orElseThrow();
      assertTrue(closed.contains("\"opened\":" + seq(open)) && closed.contains("\"to\":\"2026-11-20T15:30:03.500Z\"")
          && closed.contains("\"resumed\":{\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}")
          && closed.contains("\"backfilled\":{}")
          && closed.contains("\"lost\":{\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}"), closed);
      assertTrue(all.indexOf("\"i\":1,") < all.indexOf("\"state\":\"open\"")
          && all.indexOf("\"state\":\"open\"") < all.indexOf("\"i\":2,")
          && all.indexOf("\"i\":2,") < all.indexOf("\"state\":\"closed\"")
          && all.indexOf("\"state\":\"closed\"") < all.indexOf("\"i\":3,"), "in stream order: " + all);

      plain.awaitText("\"i\":3", WAIT);
      assertFalse(String.join("", plain.received()).contains("x-gap"), "plain clients never see x- messages");
    }
  }

  @Test
  void theClosingMarkerWaitsForTheBackfillAndSaysWhatItRecovered() throws Exception {
    server = new HubServer(HubServer.settings());
    CompletableFuture<GapClosing.Outcome> backfill = new CompletableFuture<>();
    try (WsProbe sequenced = client(true)) {
      server.hub().interrupted(
          new UpstreamInterrupted(Streams.STOCKS, "alpaca-stocks", "sip", DROP, "stalled", HELD));
      sequenced.awaitText("\"state\":\"open\"", WAIT);
      server.hub().restored(new UpstreamRestored(Streams.STOCKS, "alpaca-stocks", "sip", DROP, BACK, HELD, HELD),
          restored -> backfill);
      publish(trade(10)); // live after the restore, before the backfill is done
      sequenced.awaitText("\"i\":10", WAIT);
      publish(trade(5)); // the backfill's missed trade, as an ordinary message
      backfill.complete(new GapClosing.Outcome(Interest.of(Channel.TRADES, "AAPL", "MSFT")));
      String closed = sequenced.awaitText("\"state\":\"closed\"", WAIT);
      assertTrue(closed.contains("\"backfilled\":{\"trades\":[\"AAPL\"]}")
          && closed.contains("\"lost\":{\"quotes\":[\"AAPL\"]}"), closed);
      String all = String.join("\n", sequenced.received());
      assertTrue(all.indexOf("\"i\":5,") < all.indexOf("\"state\":\"closed\""), "backfill first: " + all);
    }
  }

  @Test
  void aResumeReplaysThroughTheMarkers() throws Exception {
    server = new HubServer(HubServer.settings().withLinger(Duration.ofHours(1)));
    String epoch;
    long last;
    try (WsProbe before = client(true)) {
      publish(trade(1));
      String seen = before.awaitText("\"i\":1,", WAIT);
      last = seq(seen);
      epoch = server.hub().epoch(Streams.STOCKS);
    }
    marker(() -> server.hub().interrupted(
        new UpstreamInterrupted(Streams.STOCKS, "c", "sip", DROP, "stalled", HELD)));
    publish(trade(2));
    marker(() -> server.hub().restored(
        new UpstreamRestored(Streams.STOCKS, "c", "sip", DROP, BACK, HELD, HELD), GapClosing.NONE));
    publish(trade(3));
    try (WsProbe after = WsProbe.connect(server.uri("iex"))) {
      after.send(AUTH);
      after.awaitText("authenticated", WAIT);
      after.send("{\"action\":\"x-options\",\"sequence\":true}");
      after.awaitText("x-options", WAIT);
      after.send("{\"action\":\"x-resume\",\"epoch\":\"" + epoch + "\",\"seq\":" + last + "}");
      after.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}");
      String resumed = after.awaitText("x-resumed", WAIT);
      assertTrue(resumed.contains("\"count\":4") && resumed.contains("\"gaps\":2"), resumed);
      String all = String.join("\n", after.received());
      assertTrue(all.indexOf("\"state\":\"open\"") < all.indexOf("\"i\":2,")
          && all.indexOf("\"i\":2,") < all.indexOf("\"state\":\"closed\"")
          && all.indexOf("\"state\":\"closed\"") < all.indexOf("\"i\":3,")
          && all.indexOf("\"i\":3,") < all.indexOf("x-resumed"), all);
    }
  }

  @Test
  void upstreamSubscriptionsLingerAndAComebackCancelsTheRemoval() throws Exception {
    server = new HubServer(HubServer.settings().withLinger(Duration.ofSeconds(3)));
    try (WsProbe first = client(false)) {
      Await.until("AAPL held", WAIT, () -> server.demand.size() == 1);
    }
    Await.until("the first client is gone", WAIT, () -> server.hub().count() == 0);
    // back before the linger ends: no removal, no second addition
    try (WsProbe again = client(false)) {
      long removals = server.demand.stream().filter(d -> !d.removed().isEmpty()).count();
      assertEquals(0, removals, "still held: " + server.demand);
    }
    Await.until("let go after the linger", WAIT,
        () -> server.demand.stream().anyMatch(d -> d.removed().equals(
            Interest.of(Map.of(Channel.TRADES, List.of("AAPL"), Channel.QUOTES, List.of("AAPL"))))));
    assertEquals(1, server.demand.stream().filter(d -> !d.added().isEmpty()).count(),
        "one upstream subscription for two visits: " + server.demand);
  }

  private static long seq(String frame) {
    Matcher m = Pattern.compile("\"x-seq\":(\\d+)").matcher(frame);
    assertTrue(m.find(), frame);
    return Long.parseLong(m.group(1));
  }
}
