package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 on a real server, black box: the fake Alpaca's market keeps trading while the gateway's
 * upstream is dropped again and again, and serves Alpaca's REST history of what it traded; after
 * every drop the gateway fetches what it missed, so a plain client and an extensions client each
 * get every trade exactly once (the fake numbers a symbol's trades 1, 2, 3..., so a hole is a
 * missing trade and a repeat a duplicate), and the extensions client sees an x-gap pair per outage
 * whose closing marker says the trades were backfilled.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BackfillIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";
  private static final String SYMBOL = "JPM";
  private static final Pattern TRADE = Pattern.compile("\"T\":\"t\",\"S\":\"" + SYMBOL + "\",\"i\":(\\d+)");

  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
    upstream.simulator().keepTrading(Set.of(SYMBOL));
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  private static WsProbe client(boolean extensions) throws Exception {
    WsProbe probe = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"));
    probe.awaitText("connected", WAIT);
    probe.send(AUTH);
    probe.awaitText("authenticated", WAIT);
    if (extensions) {
      probe.send("{\"action\":\"x-options\",\"sequence\":true}");
      probe.awaitText("x-options", WAIT);
    }
    probe.send("{\"action\":\"subscribe\",\"trades\":[\"" + SYMBOL + "\"]}");
    probe.awaitText("subscription", WAIT);
    return probe;
  }

  @Test
  void everyTradeOnceAcrossRepeatedDropsForPlainAndExtensionsClients() throws Exception {
    try (WsProbe extended = client(true); WsProbe plain = client(false)) {
      Await.until("live trades", WAIT, () -> ids(plain.received()).size() >= 10);
      int drops = 3;
      List<Integer> latePerOutage = new ArrayList<>();
      for (int drop = 1; drop <= drops; drop++) {
        int closedSoFar = drop - 1;
        int lateBefore = late(ids(plain.received()));
        upstream.simulator().disconnectAll(
            new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "it drop " + drop));
        Await.until("the closing marker of outage " + drop, WAIT,
            () -> count(extended.received(), "\"state\":\"closed\"") > closedSoFar);
        int seen = ids(plain.received()).size();
        Await.until("live trades after outage " + drop, WAIT, () -> ids(plain.received()).size() > seen + 5);
        latePerOutage.add(late(ids(plain.received())) - lateBefore);
      }
      // report, not an assertion: how many trades came back from the history per outage
      System.out.println("BackfillIT: trades backfilled per outage (arrived after later ones): " + latePerOutage);
      for (WsProbe client : List.of(plain, extended)) {
        List<Long> ids = ids(client.received());
        TreeSet<Long> distinct = new TreeSet<>(ids);
        assertEquals(distinct.size(), ids.size(), "no trade twice: " + ids);
        assertEquals(distinct.last() - distinct.first() + 1, distinct.size(),
            "no trade missing between " + distinct.first() + " and " + distinct.last() + ": " + ids);
      }
      List<String> closes = markers(extended.received(), "closed");
      assertEquals(drops, markers(extended.received(), "open").size());
      assertEquals(drops, closes.size());
      for (String closed : closes) {
        assertTrue(closed.contains("\"backfilled\":{\"trades\":[\"" + SYMBOL + "\"]}"), closed);
      }
    }
  }

  private static List<String> markers(List<String> frames, String state) {
    List<String> found = new ArrayList<>();
    Pattern marker = Pattern.compile("\\{\"T\":\"x-gap\",\"state\":\"" + state + "\".*?\"x-seq\":\\d+\\}");
    for (String frame : frames) {
      Matcher m = marker.matcher(frame);
      while (m.find()) {
        found.add(m.group());
      }
    }
    return found;
  }

  /** Trades that arrived after a trade with a higher id: the ones the backfill brought. */
  private static int late(List<Long> ids) {
    int late = 0;
    long highest = Long.MIN_VALUE;
    for (long id : ids) {
      if (id < highest) {
        late++;
      }
      highest = Math.max(highest, id);
    }
    return late;
  }

  private static int count(List<String> frames, String fragment) {
    int n = 0;
    for (String frame : frames) {
      int at = frame.indexOf(fragment);
      while (at >= 0) {
        n++;
        at = frame.indexOf(fragment, at + fragment.length());
      }
    }
    return n;
  }

  private static List<Long> ids(List<String> frames) {
    List<Long> ids = new ArrayList<>();
    for (String frame : frames) {
      Matcher m = TRADE.matcher(frame);
      while (m.find()) {
        ids.add(Long.parseLong(m.group(1)));
      }
    }
    return ids;
  }
}
