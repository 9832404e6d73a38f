package io.tickrelay.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The slow-consumer policy with a sink whose sends complete only when the test says so. */
class ClientOutboxTest {

  /** Records frames; completes sends when told, or at once in inline mode. */
  static final class ControlledSink implements FrameSink {
    final List<String> frames = new ArrayList<>();
    Consumer<Throwable> inFlight;
    volatile CloseReason closed;
    boolean inline;

    @Override
    public void send(byte[] frame, Consumer<Throwable> done) {
      assertNull(inFlight, "never two sends in flight");
      frames.add(new String(frame, StandardCharsets.UTF_8));
      if (inline) {
        done.accept(null);
      } else {
        inFlight = done;
      }
    }

    @Override
    public void write(byte[] frame) {
      throw new AssertionError("no blocking writes without a DirectWriter");
    }

    void complete() {
      Consumer<Throwable> done = inFlight;
      inFlight = null;
      done.accept(null);
    }

    @Override
    public void close(CloseReason reason) {
      closed = reason;
    }

    @Override
    public String id() {
      return "test";
    }
  }

  private final ControlledSink sink = new ControlledSink();
  private long now;

  private ClientOutbox outbox(int maxPending) {
    return new ClientOutbox(
        sink,
        messages -> messages.stream().map(b -> new String(b, StandardCharsets.UTF_8))
            .collect(Collectors.joining(",", "[", "]")).getBytes(StandardCharsets.UTF_8),
        new ClientOutbox.Limits(maxPending, Duration.ofSeconds(10), 1024),
        "407".getBytes(StandardCharsets.UTF_8),
        () -> now);
  }

  private static ClientOutbox.Item trade(String text) {
    return new ClientOutbox.Item(text.getBytes(StandardCharsets.UTF_8), null);
  }

  private static ClientOutbox.Item quote(String symbol, String text) {
    return new ClientOutbox.Item(text.getBytes(StandardCharsets.UTF_8), "q" + symbol);
  }

  @Test
  void sendsAtOnceWhenIdleAndBatchesWhatWaited() {
    ClientOutbox outbox = outbox(100);
    outbox.data(List.of(trade("t1"), trade("t2")));
    outbox.data(List.of(trade("t3")));
    outbox.data(List.of(trade("t4")));
    sink.complete();
    assertEquals(List.of("[t1,t2]", "[t3,t4]"), sink.frames);
  }

  @Test
  void whileBehindQuotesConflateToTheLatestAndTradesAllStay() {
    ClientOutbox outbox = outbox(100);
    outbox.data(List.of(trade("t0")));
    outbox.data(List.of(quote("AAPL", "qA1"), trade("t1"), quote("MSFT", "qM1")));
    outbox.data(List.of(quote("AAPL", "qA2"), trade("t2")));
    sink.complete();
    // qA2 replaced qA1 and moved behind t1, so time order holds
    assertEquals(List.of("[t0]", "[t1,qM1,qA2,t2]"), sink.frames);
    assertEquals(1, outbox.conflated());
  }

  @Test
  void controlMessagesTravelAloneInTheirFrame() {
    ClientOutbox outbox = outbox(100);
    outbox.data(List.of(trade("t0")));
    outbox.data(List.of(trade("t1")));
    outbox.control("C".getBytes(StandardCharsets.UTF_8));
    outbox.data(List.of(trade("t2")));
    sink.complete();
    sink.complete();
    sink.complete();
    assertEquals(List.of("[t0]", "[t1]", "C", "[t2]"), sink.frames);
  }

  @Test
  void pastTheLimitTheQueueGoesAndTheClientGets407ThenClose() {
    ClientOutbox outbox = outbox(3);
    outbox.data(List.of(trade("t0")));
    assertEquals(ClientOutbox.Offer.QUEUED, outbox.data(List.of(trade("t1"), trade("t2"), trade("t3"))));
    assertEquals(ClientOutbox.Offer.SLOW, outbox.data(List.of(trade("t4"))));
    assertEquals(ClientOutbox.Offer.CLOSED, outbox.data(List.of(trade("t5"))));
    sink.complete();
    sink.complete();
    assertEquals(List.of("[t0]", "407"), sink.frames);
    assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, sink.closed.getCloseCode());
  }

  @Test
  void aSendStuckPastSlowAfterIsSlowEvenWithAShortQueue() {
    ClientOutbox outbox = outbox(100);
    outbox.data(List.of(quote("AAPL", "q1")));
    now += Duration.ofSeconds(5).toNanos();
    assertEquals(ClientOutbox.Offer.QUEUED, outbox.data(List.of(quote("AAPL", "q2"))));
    now += Duration.ofSeconds(6).toNanos();
    assertEquals(ClientOutbox.Offer.SLOW, outbox.data(List.of(quote("AAPL", "q3"))));
  }

  @Test
  void sendsThatCompleteInlineLoopRatherThanRecurse() {
    ClientOutbox outbox = outbox(1_000_000);
    outbox.data(List.of(trade("first")));
    for (int i = 0; i < 100_000; i++) {
      outbox.control(new byte[] {'c'});
    }
    sink.inline = true;
    sink.complete(); // a recursive drain would overflow the stack here
    assertEquals(100_001, sink.frames.size());
    assertEquals(0, outbox.pending());
  }

  @Test
  void aFailedSendClosesAbnormallyAndDropsTheRest() {
    ClientOutbox outbox = outbox(100);
    outbox.data(List.of(trade("t0")));
    outbox.data(List.of(trade("t1")));
    Consumer<Throwable> done = sink.inFlight;
    sink.inFlight = null;
    done.accept(new java.io.IOException("reset"));
    assertEquals(CloseReason.CloseCodes.CLOSED_ABNORMALLY, sink.closed.getCloseCode());
    assertEquals(0, outbox.pending());
    assertTrue(outbox.closing());
  }

  private ClientOutbox budgeted(long maxPendingBytes, java.util.concurrent.ScheduledExecutorService scheduler) {
    return new ClientOutbox(
        sink,
        messages -> String.join(",", messages.stream()
            .map(b -> new String(b, StandardCharsets.UTF_8)).toList()).getBytes(StandardCharsets.UTF_8),
        new ClientOutbox.Limits(1000, Duration.ofSeconds(10), 1024, maxPendingBytes,
            Duration.ofMillis(100)),
        "407".getBytes(StandardCharsets.UTF_8),
        () -> now,
        OutboxListener.NONE,
        null,
        scheduler);
  }

  private static byte[] bytes(int n) {
    return "a".repeat(n).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void controlFramesCountAgainstTheByteBudget() {
    ClientOutbox outbox = budgeted(1000, null);
    assertEquals(ClientOutbox.Offer.QUEUED, outbox.control(bytes(10))); // in flight: not counted
    assertEquals(ClientOutbox.Offer.QUEUED, outbox.control(bytes(600)));
    assertEquals(600, outbox.pendingBytes());
    assertEquals(ClientOutbox.Offer.SLOW, outbox.control(bytes(600)), "1200 bytes wait");
    assertEquals(ClientOutbox.Offer.CLOSED, outbox.control(bytes(1)));
    sink.complete();
    assertEquals("407", sink.frames.get(sink.frames.size() - 1), "the queue dropped for the 407");
    sink.complete();
    assertTrue(sink.closed != null, "closed once the 407 went");
  }

  @Test
  void aLoneFrameLargerThanTheBudgetStillGoes() {
    ClientOutbox outbox = budgeted(1000, null);
    outbox.control(bytes(10));
    assertEquals(ClientOutbox.Offer.QUEUED, outbox.control(bytes(5000)), "one waiting frame");
    sink.complete();
    assertEquals(5000, sink.frames.get(1).length());
  }

  @Test
  void dataAndControlShareTheBudget() {
    ClientOutbox outbox = budgeted(1000, null);
    outbox.control(bytes(10));
    outbox.data(List.of(trade("x".repeat(700))));
    assertEquals(ClientOutbox.Offer.SLOW, outbox.control(bytes(400)));
  }

  @Test
  void finishIsForcedAfterTheGraceWhenThePeerDoesNotRead() throws Exception {
    java.util.concurrent.ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      ClientOutbox outbox = budgeted(1 << 20, scheduler);
      outbox.control(bytes(10)); // in flight for good: the peer does not read
      outbox.finish("429".getBytes(StandardCharsets.UTF_8),
          new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "too many requests"));
      assertNull(sink.closed, "waits for the last frame first");
      io.tickrelay.testing.Await.until("the forced close", Duration.ofSeconds(5),
          () -> sink.closed != null);
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, sink.closed.getCloseCode());
      assertTrue(outbox.closing());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void anAbortWithASendInFlightClosesWhenTheSendReturns() {
    ClientOutbox outbox = outbox(100);
    outbox.data(List.of(trade("t0"))); // in flight
    outbox.data(List.of(trade("t1")));
    outbox.abort(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "flood"));
    assertNull(sink.closed,
        "no close beside a send in flight: Liberty would write the close frame beside it");
    assertTrue(outbox.closing());
    assertEquals(0, outbox.pending(), "what waited is dropped at once");
    sink.complete();
    assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, sink.closed.getCloseCode());
    assertEquals(List.of("[t0]"), sink.frames, "nothing sent after the abort");
  }

  @Test
  void anAbortBehindASendThatNeverReturnsClosesAfterTheGrace() throws Exception {
    java.util.concurrent.ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      ClientOutbox outbox = budgeted(1 << 20, scheduler);
      outbox.control(bytes(10)); // in flight for good: the peer does not read
      outbox.abort(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "flood"));
      assertNull(sink.closed, "waits for the send in flight first");
      io.tickrelay.testing.Await.until("the close after the grace", Duration.ofSeconds(5),
          () -> sink.closed != null);
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, sink.closed.getCloseCode());
      sink.closed = null;
      sink.complete(); // the send returns late: the client is closed already
      assertNull(sink.closed, "closed once");
    } finally {
      scheduler.shutdownNow();
    }
  }
}
