package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.delivery.FrameSink;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

/**
 * Figures for docs/BENCHMARKS.md (issue 15, review H2): what a subscribe that changes nothing
 * costs a client holding 10,000 symbols (9,995 and then five more) on three channels: the answer's size, and the bytes the
 * gateway allocates on the thread that handles it. Printed, not timed; the one assertion is that
 * an unchanged subscription costs a small fraction of one full answer.
 */
class AckCostTest {

  /** Records what it is sent; every send completes at once, so nothing piles up. */
  private static final class Sink implements FrameSink {
    final List<Integer> sizes = new ArrayList<>();

    @Override
    public synchronized void send(byte[] frame, Consumer<Throwable> done) {
      sizes.add(frame.length);
      done.accept(null);
    }

    @Override
    public void write(byte[] frame) {
      throw new AssertionError("no direct writes in this test");
    }

    @Override
    public void close(CloseReason reason) {}

    @Override
    public String id() {
      return "ack-cost";
    }

    synchronized int last() {
      return sizes.get(sizes.size() - 1);
    }
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void anUnchangedSubscriptionIsAnsweredForAFractionOfAFullAnswer() {
    HubSettings base = HubServer.settings();
    HubSettings settings = new HubSettings(base.credentials(), base.entitlements(),
        base.authTimeout(), base.maxClients(), base.outbox(), base.slowCloseGrace(),
        base.journalSize(), base.controlRate(), base.maxMessageBytes(), base.fanoutQueue(),
        base.batchWindow(), null); // sends on the calling thread, as measured
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    ClientHub hub = new ClientHub(settings, scheduler, change -> {}, System::nanoTime);
    try {
      Sink sink = new Sink();
      ClientSession client = hub.opened(sink, "sip", Map.of(
          "APCA-API-KEY-ID", List.of(HubServer.KEY), "APCA-API-SECRET-KEY", List.of(HubServer.SECRET)));
      assertNotNull(client);
      List<String> symbols = new ArrayList<>();
      for (int i = 0; i < 9_995; i++) { // room for the five one-symbol changes below
        symbols.add(String.format("A%029d", i)); // distinct, 30 characters
      }
      for (String channel : List.of("trades", "quotes", "bars")) {
        for (int from = 0; from < symbols.size(); from += 1000) {
          hub.text(client, "{\"action\":\"subscribe\",\"" + channel + "\":[\""
              + String.join("\",\"", symbols.subList(from, Math.min(from + 1000, symbols.size())))
              + "\"]}");
        }
      }
      int fullAnswer = sink.last();
      String stale = "{\"action\":\"subscribe\",\"trades\":[\"" + symbols.get(0) + "\"]}";
      int rounds = 5; // under the test's flood guard burst (100 messages) with the 30 above
      long before = allocated();
      for (int i = 0; i < rounds; i++) {
        hub.text(client, stale);
      }
      long perUnchanged = (allocated() - before) / rounds;
      int unchangedAnswer = sink.last();
      String fresh = "{\"action\":\"subscribe\",\"trades\":[\"%s\"]}";
      before = allocated();
      for (int i = 0; i < rounds; i++) {
        hub.text(client, String.format(fresh, "NEW" + i));
      }
      long perChange = (allocated() - before) / rounds;
      int changedAnswer = sink.last();
      System.out.printf("AckCostTest: 10,000 symbols on trades, quotes, bars: answer %,d bytes;"
              + " an unchanged subscribe: answer %,d bytes, %,d bytes allocated; a one-symbol"
              + " change: answer %,d bytes, %,d bytes allocated%n",
          fullAnswer, unchangedAnswer, perUnchanged, changedAnswer, perChange);
      assertTrue(perUnchanged < fullAnswer / 10,
          "an unchanged subscription allocated " + perUnchanged + " bytes");
    } finally {
      hub.closeAll();
      scheduler.shutdownNow();
    }
  }
}
