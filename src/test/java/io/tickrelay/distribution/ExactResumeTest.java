package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resume while the market keeps trading (issue 13, "exact resume"): a client that leaves, comes
 * back and resumes sees every trade of its symbols exactly once, in x-seq order, however the live
 * stream and its replay interleave. A publisher thread keeps trading through the whole test.
 */
class ExactResumeTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + HubServer.KEY + "\",\"secret\":\"" + HubServer.SECRET + "\"}";
  private static final Pattern TRADE =
      Pattern.compile("\"T\":\"t\",\"S\":\"(\\w+)\",\"i\":(\\d+)[^}]*\"x-seq\":(\\d+)");
  private static final Pattern GAP = Pattern.compile("\"T\":\"x-gap\"[^}]*\"x-seq\":(\\d+)");

  private HubServer server;
  private final AtomicBoolean trading = new AtomicBoolean(true);
  private final AtomicLong nextId = new AtomicLong(1);
  private Thread market;

  @BeforeEach
  void start() throws Exception {
    // a linger longer than the test: the client's symbols stay held upstream while it is away
    server = new HubServer(HubServer.settings().withLinger(Duration.ofHours(1)));
    market = new Thread(() -> {
      while (trading.get()) {
        long id = nextId.getAndIncrement();
        Instant t = Instant.now();
        // the client's symbol and one it does not want, so its x-seq numbers have holes
        server.hub().publish(Streams.STOCKS, List.of(
            new Trade("NVDA", id, "V", 1, 1, t, List.of("@"), "C"),
            new Trade("AMD", id, "V", 1, 1, t, List.of("@"), "C")));
        Thread.onSpinWait();
        try {
          Thread.sleep(1); // the market's pace, not a wait for an outcome
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    market.setDaemon(true);
    market.start();
  }

  @AfterEach
  void stop() throws Exception {
    trading.set(false);
    market.join(5000);
    server.close();
  }

  @Test
  void resumeBeforeSubscribeWhileTradingIsExact() throws Exception {
    List<String> frames = new ArrayList<>();
    String epoch;
    long lastSeq;
    try (WsProbe first = sequenced()) {
      epoch = field(first.received().get(first.received().size() - 1), "epoch");
      first.send("{\"action\":\"subscribe\",\"trades\":[\"NVDA\"]}");
      first.awaitText("subscription", WAIT);
      long seen = nextId.get() + 20;
      Await.until("some trades live", WAIT, () -> maxId(first.received()) >= seen);
      frames.addAll(first.received());
      lastSeq = lastSeq(frames);
    }
    long away = nextId.get() + 200;
    Await.until("the market traded on while the client was away", WAIT, () -> nextId.get() > away);
    try (WsProbe second = sequenced()) {
      second.send("{\"action\":\"x-resume\",\"epoch\":\"" + epoch + "\",\"seq\":" + lastSeq + "}");
      second.send("{\"action\":\"subscribe\",\"trades\":[\"NVDA\"]}");
      String resumed = second.awaitText("x-resumed", WAIT);
      assertTrue(resumed.contains("\"gaps\":0"), "the gateway held NVDA throughout: " + resumed);
      long until = nextId.get() + 50;
      Await.until("live trades after the replay", WAIT, () -> maxId(second.received()) >= until);
      frames.addAll(second.received());
    }
    assertExactlyOnceInOrder(frames);
  }

  @Test
  void resumeAfterSubscribeSendsNoDuplicate() throws Exception {
    String epoch;
    long lastSeq;
    List<String> frames = new ArrayList<>();
    try (WsProbe first = sequenced()) {
      epoch = field(first.received().get(first.received().size() - 1), "epoch");
      first.send("{\"action\":\"subscribe\",\"trades\":[\"NVDA\"]}");
      first.awaitText("subscription", WAIT);
      long seen = nextId.get() + 20;
      Await.until("some trades live", WAIT, () -> maxId(first.received()) >= seen);
      frames.addAll(first.received());
      lastSeq = lastSeq(frames);
    }
    try (WsProbe second = sequenced()) {
      second.send("{\"action\":\"subscribe\",\"trades\":[\"NVDA\"]}");
      second.awaitText("subscription", WAIT);
      long live = nextId.get() + 20;
      Await.until("live trades before the resume", WAIT, () -> maxId(second.received()) >= live);
      second.send("{\"action\":\"x-resume\",\"epoch\":\"" + epoch + "\",\"seq\":" + lastSeq + "}");
      second.awaitText("x-resumed", WAIT);
      long until = nextId.get() + 20;
      Await.until("live trades after the replay", WAIT, () -> maxId(second.received()) >= until);
      frames.addAll(second.received());
    }
    List<Long> ids = ids(frames);
    assertEquals(ids.stream().distinct().count(), ids.size(), "no duplicate trade id");
    List<Long> sorted = ids.stream().sorted().toList();
    assertEquals(sorted.get(sorted.size() - 1) - sorted.get(0) + 1, sorted.size(), "none missing");
  }

  private WsProbe sequenced() throws Exception {
    WsProbe probe = WsProbe.connect(server.uri("iex"));
    probe.send(AUTH);
    probe.awaitText("authenticated", WAIT);
    probe.send("{\"action\":\"x-options\",\"sequence\":true}");
    probe.awaitText("x-options", WAIT);
    return probe;
  }

  static void assertExactlyOnceInOrder(List<String> frames) {
    List<Long> seqs = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (String frame : frames) {
      Matcher m = TRADE.matcher(frame);
      while (m.find()) {
        ids.add(Long.parseLong(m.group(2)));
        seqs.add(Long.parseLong(m.group(3)));
      }
    }
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i) > seqs.get(i - 1), "x-seq order at " + i + ": " + seqs.subList(Math.max(0, i - 3), i + 1));
      assertEquals(ids.get(i - 1) + 1, ids.get(i), "trade ids consecutive at " + i
          + " (no duplicate, none missing)");
    }
    assertTrue(ids.size() > 250, "trades seen: " + ids.size());
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

  private static long maxId(List<String> frames) {
    return ids(frames).stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static long lastSeq(List<String> frames) {
    long last = 0;
    for (String frame : frames) {
      Matcher m = TRADE.matcher(frame);
      while (m.find()) {
        last = Math.max(last, Long.parseLong(m.group(3)));
      }
      Matcher g = GAP.matcher(frame);
      while (g.find()) {
        last = Math.max(last, Long.parseLong(g.group(1)));
      }
    }
    return last;
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }
}
