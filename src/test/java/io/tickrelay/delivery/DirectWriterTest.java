package io.tickrelay.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking writes on the writer's thread, with sinks whose write can be held like a socket whose
 * buffer is full: the other clients keep getting their frames, the stuck one goes asynchronous.
 */
class DirectWriterTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Records how each frame left; a write waits while {@code held} is closed. */
  static final class Sink implements FrameSink {
    final String id;
    final List<String> written = new CopyOnWriteArrayList<>();
    final List<String> sentAsync = new CopyOnWriteArrayList<>();
    final List<String> writerThreads = new CopyOnWriteArrayList<>();
    volatile CountDownLatch held = new CountDownLatch(0);
    volatile CloseReason closed;
    volatile boolean failWrites;
    volatile boolean open = true;

    Sink(String id) {
      this.id = id;
    }

    @Override
    public void send(byte[] frame, Consumer<Throwable> done) {
      sentAsync.add(new String(frame, StandardCharsets.UTF_8));
      done.accept(null);
    }

    @Override
    public void write(byte[] frame) throws IOException {
      writerThreads.add(Thread.currentThread().getName());
      try {
        if (!held.await(30, TimeUnit.SECONDS)) {
          throw new IOException("held too long");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      if (failWrites) {
        throw new IOException("broken pipe");
      }
      written.add(new String(frame, StandardCharsets.UTF_8));
    }

    @Override
    public void close(CloseReason reason) {
      closed = reason;
    }

    @Override
    public boolean open() {
      return open;
    }

    @Override
    public String id() {
      return id;
    }
  }

  private DirectWriter writer;

  @AfterEach
  void stop() {
    if (writer != null) {
      writer.stop();
    }
  }

  private DirectWriter writer(int maxBlocked) {
    writer = new DirectWriter(
        new DirectWriter.Settings(Duration.ofMillis(50), maxBlocked), Thread::new, System::nanoTime);
    return writer;
  }

  private static ClientOutbox outbox(Sink sink, DirectWriter writer) {
    return new ClientOutbox(
        sink,
        messages -> messages.stream().map(b -> new String(b, StandardCharsets.UTF_8))
            .collect(Collectors.joining(",", "[", "]")).getBytes(StandardCharsets.UTF_8),
        new ClientOutbox.Limits(1000, Duration.ofSeconds(30), 64 * 1024),
        "407".getBytes(StandardCharsets.UTF_8),
        System::nanoTime,
        OutboxListener.NONE,
        writer);
  }

  private static List<ClientOutbox.Item> trade(String text) {
    return List.of(new ClientOutbox.Item(text.getBytes(StandardCharsets.UTF_8), null));
  }

  @Test
  void writesEveryFrameOnTheWriterThreadInOrder() {
    DirectWriter w = writer(4);
    Sink sink = new Sink("a");
    ClientOutbox a = outbox(sink, w);
    a.control("hello".getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i <= 50; i++) {
      a.data(trade("t" + i));
    }
    Await.until("all 50 trades written", WAIT,
        () -> sink.written.stream().flatMap(f -> List.of(f.split(",")).stream()).count() == 51);
    assertEquals("hello", sink.written.get(0), "control first, alone");
    String all = String.join(",", sink.written.subList(1, sink.written.size()))
        .replace("[", "").replace("]", "");
    assertEquals(
        java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(i -> "t" + i)
            .collect(Collectors.joining(",")),
        all, "every trade once, in order");
    assertTrue(sink.sentAsync.isEmpty(), "nothing went asynchronously");
    assertTrue(sink.writerThreads.stream().allMatch(t -> t.startsWith("tickrelay-writer-")));
    assertTrue(a.direct());
  }

  @Test
  void aBlockedWriteMovesThatClientToAsynchronousSendsAndTheOthersCarryOn() {
    DirectWriter w = writer(4);
    Sink stuckSink = new Sink("stuck");
    stuckSink.held = new CountDownLatch(1);
    Sink freeSink = new Sink("free");
    ClientOutbox stuck = outbox(stuckSink, w);
    ClientOutbox free = outbox(freeSink, w);

    stuck.data(trade("s1"));
    Await.until("the stuck client's write to start", WAIT, () -> stuckSink.writerThreads.size() == 1);
    free.data(trade("f1"));
    stuck.data(trade("s2")); // waits in the outbox behind the blocked write
    Await.until("the other client's frame, while the first write is still blocked", WAIT,
        () -> freeSink.written.contains("[f1]"));
    assertFalse(stuck.direct(), "the stuck client goes asynchronous");
    assertTrue(free.direct(), "the other one stays on blocking writes");
    assertEquals(1, w.blockedWrites());
    assertEquals(1, w.writesBlocked());
    assertTrue(stuckSink.written.isEmpty());

    stuckSink.held.countDown(); // its socket drains
    Await.until("the blocked write to finish and what waited to follow asynchronously", WAIT,
        () -> stuckSink.written.equals(List.of("[s1]")) && stuckSink.sentAsync.equals(List.of("[s2]")));
    Await.until("the blocked writer thread to end", WAIT, () -> w.blockedWrites() == 0);
    stuck.data(trade("s3"));
    free.data(trade("f2"));
    Await.until("both clients served again", WAIT,
        () -> stuckSink.sentAsync.contains("[s3]") && freeSink.written.contains("[f2]"));
  }

  @Test
  void aWriteBlockedForAClientThatLeftIsWokenAndItsThreadEnds() {
    DirectWriter w = writer(4);
    Sink goneSink = new Sink("gone");
    goneSink.held = new CountDownLatch(1); // like Liberty: waits until interrupted
    ClientOutbox gone = outbox(goneSink, w);
    gone.data(trade("g1"));
    Await.until("the write to block and be noticed", WAIT, () -> w.blockedWrites() == 1);
    assertEquals(1, w.blockedWrites(), "still open: the watchdog leaves the write waiting");
    goneSink.open = false; // the peer disconnected while the write waited
    Await.until("the blocked write to be woken and the client closed", WAIT,
        () -> w.blockedWrites() == 0 && goneSink.closed != null);
    assertEquals(CloseReason.CloseCodes.CLOSED_ABNORMALLY, goneSink.closed.getCloseCode());
  }

  @Test
  void tooManyBlockedWritesSendEveryClientAsynchronously() {
    DirectWriter w = writer(1);
    Sink first = new Sink("first");
    first.held = new CountDownLatch(1);
    Sink second = new Sink("second");
    second.held = new CountDownLatch(1);
    Sink other = new Sink("other");
    ClientOutbox a = outbox(first, w);
    ClientOutbox b = outbox(second, w);
    ClientOutbox c = outbox(other, w);
    try {
      a.data(trade("a1"));
      Await.until("the first write to block and be noticed", WAIT, () -> !a.direct());
      b.data(trade("b1"));
      Await.until("the second write to block and be noticed", WAIT, () -> !b.direct());
      Await.until("the writer to give up blocking writes", WAIT, w::disabled);
      c.data(trade("c1"));
      Await.until("the third client's frame, asynchronously", WAIT,
          () -> other.sentAsync.contains("[c1]"));
      assertTrue(other.written.isEmpty());
    } finally {
      first.held.countDown();
      second.held.countDown();
    }
  }

  @Test
  void aFailedWriteClosesTheClient() {
    DirectWriter w = writer(4);
    Sink sink = new Sink("broken");
    sink.failWrites = true;
    ClientOutbox a = outbox(sink, w);
    a.data(trade("t1"));
    Await.until("the client to be closed", WAIT, () -> sink.closed != null);
    assertEquals(CloseReason.CloseCodes.CLOSED_ABNORMALLY, sink.closed.getCloseCode());
    assertTrue(a.closing());
  }

  @Test
  void aFinishSendsTheLastFrameThenCloses() {
    DirectWriter w = writer(4);
    Sink sink = new Sink("leaving");
    ClientOutbox a = outbox(sink, w);
    a.data(trade("t1"));
    a.finish("bye".getBytes(StandardCharsets.UTF_8),
        new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
    Await.until("closed", WAIT, () -> sink.closed != null);
    assertEquals(List.of("[t1]", "bye"), sink.written);
  }

  @Test
  void anAbortDuringABlockingWriteClosesWhenTheWriteReturns() {
    DirectWriter w = writer(4);
    Sink sink = new Sink("slow-for-a-moment");
    sink.held = new CountDownLatch(1);
    ClientOutbox a = outbox(sink, w);
    a.data(trade("t1"));
    Await.until("the write to start", WAIT, () -> !sink.writerThreads.isEmpty());
    a.abort(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "flood"));
    assertEquals(null, sink.closed, "no close while the blocking write is in flight");
    sink.held.countDown(); // the peer reads again
    Await.until("the close after the write", WAIT, () -> sink.closed != null);
    assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, sink.closed.getCloseCode());
    assertEquals(List.of("[t1]"), sink.written);
  }
}
