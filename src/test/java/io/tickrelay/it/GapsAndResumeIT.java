package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Issue 13 on a real Open Liberty, black box, fed by the fake Alpaca: every upstream drop is an
 * {@code x-gap} pair in an extensions client's stream (and nothing for a plain client); a client
 * that was the only subscriber of its symbol, away for a few seconds while the market traded on,
 * resumes while live data flows with zero duplicates, zero out of order, zero missing (the fake
 * numbers each symbol's trades 1, 2, 3..., so a hole in the ids is a missing trade). The IT gateway
 * lingers upstream subscriptions for 5 s (pom.xml).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GapsAndResumeIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";
  private static final Pattern TRADE =
      Pattern.compile("\"T\":\"t\",\"S\":\"(\\w+)\",\"i\":(\\d+)[^}]*\"x-seq\":(\\d+)");
  private static final Pattern SEQ = Pattern.compile("\"x-seq\":(\\d+)");

  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  private static WsProbe client(boolean extensions, String subscribe) throws Exception {
    WsProbe probe = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"));
    probe.awaitText("connected", WAIT);
    probe.send(AUTH);
    probe.awaitText("authenticated", WAIT);
    if (extensions) {
      probe.send("{\"action\":\"x-options\",\"sequence\":true}");
      probe.awaitText("x-options", WAIT);
    }
    if (subscribe != null) {
      probe.send(subscribe);
      probe.awaitText("subscription", WAIT);
    }
    return probe;
  }

  @Test
  void anExtensionsClientSeesAnXGapPairPerUpstreamDrop() throws Exception {
    String subscribe = "{\"action\":\"subscribe\",\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}";
    try (WsProbe extended = client(true, subscribe); WsProbe plain = client(false, subscribe)) {
      extended.awaitText("\"T\":\"t\"", WAIT);
      int drops = 3;
      for (int drop = 1; drop <= drops; drop++) {
        int closedSoFar = drop - 1;
        upstream.simulator().disconnectAll(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "it drop " + drop));
        Await.until("the closing marker of outage " + drop, WAIT,
            () -> count(extended.received(), "\"state\":\"closed\"") > closedSoFar);
        int tradesSoFar = count(plain.received(), "\"T\":\"t\"");
        Await.until("plain trades after outage " + drop, WAIT,
            () -> count(plain.received(), "\"T\":\"t\"") > tradesSoFar);
      }
      List<String> frames = extended.received();
      List<String> opens = markers(frames, "open");
      List<String> closes = markers(frames, "closed");
      assertEquals(drops, opens.size(), "one open marker per drop: " + opens);
      assertEquals(drops, closes.size(), "one closed marker per drop: " + closes);
      for (int i = 0; i < drops; i++) {
        String open = opens.get(i);
        String closed = closes.get(i);
        assertTrue(open.contains("\"covers\":{\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}"), open);
        assertTrue(open.contains("\"reason\":\"closed by upstream: 1001"), open);
        assertTrue(closed.contains("\"opened\":" + seq(open)), "the pair is linked: " + open + " / " + closed);
        assertTrue(closed.contains("\"resumed\":{\"trades\":[\"AAPL\"],\"quotes\":[\"AAPL\"]}"), closed);
        assertTrue(closed.contains("\"quotes\":[\"AAPL\"]}"), "quotes cannot be replayed: " + closed);
        assertTrue(seq(closed) > seq(open), open + " / " + closed);
      }
      assertSeqAscending(frames);
      assertFalse(String.join("", plain.received()).contains("x-gap"), "plain clients never see x- messages");
    }
  }

  @Test
  void resumeWhileLiveDataFlowsAfterAFewSecondsAwayIsExact() throws Exception {
    String subscribe = "{\"action\":\"subscribe\",\"trades\":[\"KO\"]}";
    List<String> frames = new ArrayList<>();
    String epoch;
    long last;
    try (WsProbe clock = client(false, "{\"action\":\"subscribe\",\"trades\":[\"DIS\"]}")) {
      try (WsProbe first = client(true, null)) {
        first.send(subscribe);
        epoch = field(first.received().get(first.received().size() - 1), "epoch");
        first.awaitText("subscription", WAIT);
        Await.until("KO trades live", WAIT, () -> ids(first.received()).size() >= 10);
        frames.addAll(first.received());
        last = maxSeq(frames);
      }
      // away for about two seconds of the fake's market (20 trades a second per symbol), timed
      // by the DIS trades another client keeps receiving
      int ticks = count(clock.received(), "\"T\":\"t\"");
      Await.until("two seconds of trading while away", WAIT,
          () -> count(clock.received(), "\"T\":\"t\"") >= ticks + 40);
    }
    try (WsProbe second = client(true, null)) {
      second.send("{\"action\":\"x-resume\",\"epoch\":\"" + epoch + "\",\"seq\":" + last + "}");
      second.send(subscribe);
      String resumed = second.awaitText("x-resumed", WAIT);
      assertTrue(resumed.contains("\"gaps\":0"), "KO was held throughout (linger): " + resumed);
      long replayed = Long.parseLong(field(resumed, "count"));
      assertTrue(replayed >= 20, "the market traded on while the client was away: " + resumed);
      long replayEnd = ids(second.received()).stream().mapToLong(Long::longValue).max().orElse(0);
      Await.until("live KO trades after the replay", WAIT,
          () -> ids(second.received()).stream().mapToLong(Long::longValue).max().orElse(0) >= replayEnd + 20);
      frames.addAll(second.received());
    }
    List<Long> ids = ids(frames);
    for (int i = 1; i < ids.size(); i++) {
      assertEquals(ids.get(i - 1) + 1, ids.get(i),
          "KO trade ids consecutive (no duplicate, none missing, in order) at " + i + " of " + ids);
    }
    assertSeqAscending(frames);
  }

  private static List<String> markers(List<String> frames, String state) {
    List<String> found = new ArrayList<>();
    for (String frame : frames) {
      Matcher m = Pattern.compile("\\{\"T\":\"x-gap\",\"state\":\"" + state + "\"[^\\[]*?(\\[[^\\]]*\\][^\\[]*?)*\"x-seq\":\\d+\\}").matcher(frame);
      while (m.find()) {
        found.add(m.group());
      }
    }
    return found;
  }

  private static void assertSeqAscending(List<String> frames) {
    long previous = 0;
    for (String frame : frames) {
      Matcher m = SEQ.matcher(frame);
      while (m.find()) {
        long seq = Long.parseLong(m.group(1));
        assertTrue(seq > previous, "x-seq " + seq + " after " + previous);
        previous = seq;
      }
    }
  }

  private static List<Long> ids(List<String> frames) {
    List<Long> ids = new ArrayList<>();
    for (String frame : frames) {
      Matcher m = TRADE.matcher(frame);
      while (m.find()) {
        ids.add(Long.parseLong(m.group(2)));
      }
    }
    return ids;
  }

  private static long maxSeq(List<String> frames) {
    long max = 0;
    for (String frame : frames) {
      Matcher m = SEQ.matcher(frame);
      while (m.find()) {
        max = Math.max(max, Long.parseLong(m.group(1)));
      }
    }
    return max;
  }

  private static long seq(String message) {
    Matcher m = SEQ.matcher(message);
    assertTrue(m.find(), message);
    return Long.parseLong(m.group(1));
  }

  private static int count(List<String> frames, String fragment) {
    int n = 0;
    for (String frame : frames) {
      n += (int) Pattern.compile(Pattern.quote(fragment)).matcher(frame).results().count();
    }
    return n;
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }
}
