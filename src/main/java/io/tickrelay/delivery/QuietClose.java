package io.tickrelay.delivery;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A {@link FrameSink} that closes only once its peer has stopped sending for a moment (at most
 * {@code maxWait} later), so that a client told to go (a flood's {@code 429}, an auth throttled)
 * while it still writes reads that last answer and the close frame.
 *
 * <p>Closing a connection whose peer is still sending loses what the server wrote last: the peer
 * gets a TCP reset for the data that arrives after the server closed, and a reset discards what its
 * socket had received but not yet read (RFC 1122 §4.2.2.13; RFC 6455 §7.1.1 asks the server to
 * close TCP only after the closing handshake). Open Liberty also gives up on a close whose peer
 * sends a data frame of 126 bytes or more before its close frame, and closes the TCP connection at
 * once; and a close from another thread than the reading one cancels the read in progress, after
 * which it may parse the rest of a half-read frame as a new one and close with {@code 1002}. With a
 * peer that is quiet, none of that happens. A peer that keeps sending is closed after {@code
 * maxWait} all the same: it is the one that did not listen.
 */
public final class QuietClose implements FrameSink {

  /** No frame from the peer for this long counts as quiet: longer than a burst's gaps. */
  public static final Duration QUIET = Duration.ofMillis(50);

  /** The longest a close waits for quiet. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(1);

  private final FrameSink sink;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final long quietNanos;
  private final long maxWaitNanos;
  private volatile long lastInbound;
  private volatile boolean heard;

  public QuietClose(FrameSink sink, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
    this(sink, scheduler, nanoTime, QUIET, MAX_WAIT);
  }

  public QuietClose(FrameSink sink, ScheduledExecutorService scheduler, LongSupplier nanoTime,
      Duration quiet, Duration maxWait) {
    this.sink = sink;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.quietNanos = quiet.toNanos();
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** The peer sent a message (called on the reading thread, for every message). */
  public void inbound() {
    lastInbound = nanoTime.getAsLong();
    heard = true;
  }

  @Override
  public void send(byte[] frame, Consumer<Throwable> done) {
    sink.send(frame, done);
  }

  @Override
  public void write(byte[] frame) throws IOException {
    sink.write(frame);
  }

  @Override
  public void close(CloseReason reason) {
    closeWhenQuiet(reason, nanoTime.getAsLong() + maxWaitNanos);
  }

  private void closeWhenQuiet(CloseReason reason, long deadline) {
    long now = nanoTime.getAsLong();
    long wait = heard ? quietNanos - (now - lastInbound) : 0;
    if (wait <= 0 || now - deadline >= 0 || scheduler == null || !sink.open()) {
      sink.close(reason);
      return;
    }
    try {
      scheduler.schedule(() -> closeWhenQuiet(reason, deadline),
          Math.min(wait, deadline - now), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      sink.close(reason);
    }
  }

  @Override
  public boolean open() {
    return sink.open();
  }

  @Override
  public String id() {
    return sink.id();
  }
}
