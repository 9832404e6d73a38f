package io.tickrelay.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tickrelay.testing.Await;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuietCloseTest {

  private static final CloseReason FLOOD =
      new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "too many requests");
  private static final Duration QUIET = Duration.ofMillis(50);
  private static final Duration MAX_WAIT = Duration.ofSeconds(1);

  /** The test's clock: it moves only when the test says so, so "not yet" cannot be a race. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Recording socket = new Recording();
  private final QuietClose sink =
      new QuietClose(socket, scheduler, now::get, QUIET, MAX_WAIT);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aPeerThatSentNothingIsClosedAtOnce() {
    sink.close(FLOOD);

    assertEquals(FLOOD, socket.closed.get(), "closed on the caller's thread");
  }

  @Test
  void aPeerStillSendingIsClosedOnceItPaused() throws Exception {
    sink.inbound();
    sink.close(FLOOD);
    now.addAndGet(QUIET.toNanos() / 2);
    sink.inbound(); // still sending: the quiet starts again
    scheduler.submit(() -> { }).get(); // a check that ran meanwhile saw it busy
    assertNull(socket.closed.get(), "not closed while its frames still arrive");

    now.addAndGet(QUIET.toNanos());

    Await.until("closed once quiet", Duration.ofSeconds(5), () -> socket.closed.get() != null);
    assertEquals(FLOOD, socket.closed.get());
  }

  @Test
  void aPeerThatNeverStopsIsClosedAfterTheLongestWait() throws Exception {
    sink.inbound();
    sink.close(FLOOD);
    for (long waited = 0; waited < MAX_WAIT.toNanos(); waited += QUIET.toNanos() / 2) {
      assertNull(socket.closed.get(), "still within the longest wait");
      now.addAndGet(QUIET.toNanos() / 2);
      sink.inbound();
    }

    Await.until("closed all the same", Duration.ofSeconds(5), () -> socket.closed.get() != null);
  }

  @Test
  void aStoppingSchedulerClosesAtOnce() {
    sink.inbound();
    scheduler.shutdownNow();

    sink.close(FLOOD);

    assertEquals(FLOOD, socket.closed.get());
  }

  /** A socket that records its close. */
  private static final class Recording implements FrameSink {
    final AtomicReference<CloseReason> closed = new AtomicReference<>();

    @Override
    public void send(byte[] frame, Consumer<Throwable> done) {
      done.accept(null);
    }

    @Override
    public void write(byte[] frame) {
    }

    @Override
    public void close(CloseReason reason) {
      closed.compareAndSet(null, reason);
    }

    @Override
    public boolean open() {
      return closed.get() == null;
    }

    @Override
    public String id() {
      return "quiet-test";
    }
  }
}
