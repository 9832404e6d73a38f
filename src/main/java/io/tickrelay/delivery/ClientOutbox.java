package io.tickrelay.delivery;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * A client's outbox with Alpaca's slow-consumer policy: one asynchronous send in flight; while one
 * is in flight, messages wait in order, and a conflatable message (a quote or bar) replaces the
 * waiting one with the same key, moving to the back so the client still sees time order. Others
 * (trades, control messages) are never dropped silently: past {@link Limits#maxPending} waiting
 * messages, past {@link Limits#maxPendingBytes} waiting bytes (data and control frames alike, so a
 * client that asks for acknowledgements and never reads them is bounded too), or a send stuck
 * longer than {@link Limits#slowAfter}, the queue is dropped and the client gets its {@code 407
 * slow client} frame and is closed (fanout-anchors.md §B.4.3-5). A close that waits for the queue
 * to drain ({@link #finish}, the slow cut-off) becomes a forced close after {@link
 * Limits#closeGrace} when the outbox has a scheduler, so a peer that stopped reading is closed too.
 */
public final class ClientOutbox {

  private static final Logger LOG = Logger.getLogger(ClientOutbox.class.getName());
  private static final CloseReason SLOW =
      new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client");

  /** Joins encoded data messages into one frame (an array in the session's wire format). */
  @FunctionalInterface
  public interface Framer {
    byte[] frame(List<byte[]> messages);
  }

  /**
   * How far behind a client may fall, and how big a batched data frame may grow.
   *
   * @param maxPending waiting messages (after conflation) before the client is cut off as slow
   * @param slowAfter a send in flight this long makes the client slow
   * @param maxFrameBytes the size a batched data frame grows to at most
   * @param maxPendingBytes waiting bytes, control frames included, before the client is cut off; a
   *     single waiting frame never counts as over it (a lone large acknowledgement still goes)
   * @param closeGrace how long a close that waits for the queue to drain may wait before it is
   *     forced (with a scheduler)
   */
  public record Limits(
      int maxPending, Duration slowAfter, int maxFrameBytes, long maxPendingBytes, Duration closeGrace) {

    /** 8 MiB: twice the largest acknowledgement (10,000 symbols of 32 characters on every channel). */
    public static final long DEFAULT_MAX_PENDING_BYTES = 8L << 20;

    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);

    public Limits(int maxPending, Duration slowAfter, int maxFrameBytes) {
      this(maxPending, slowAfter, maxFrameBytes, DEFAULT_MAX_PENDING_BYTES, DEFAULT_CLOSE_GRACE);
    }
  }

  /**
   * A data message; a non-null {@code conflationKey} lets a newer message replace it, and {@code
   * eventNanos} is its upstream timestamp in epoch nanoseconds (0 when unknown), for the latency
   * figures.
   */
  public record Item(byte[] bytes, Object conflationKey, long eventNanos) {

    public Item(byte[] bytes, Object conflationKey) {
      this(bytes, conflationKey, 0);
    }
  }

  /** What became of an offer. */
  public enum Offer {
    QUEUED,
    /** The client was cut off as slow by this offer; its owner should stop feeding it. */
    SLOW,
    /** Closing or closed already; the offer was ignored. */
    CLOSED
  }

  /** A waiting message; {@code live} turns false when a newer one with its key replaced it. */
  private static final class Entry {
    final byte[] bytes;
    final boolean control;
    final long eventNanos;
    final Object key;
    boolean live = true;

    Entry(byte[] bytes, boolean control, long eventNanos, Object key) {
      this.bytes = bytes;
      this.control = control;
      this.eventNanos = eventNanos;
      this.key = key;
    }
  }

  private final FrameSink sink;
  private final Framer framer;
  private final Limits limits;
  private final byte[] slowFrame;
  private final LongSupplier nanoTime;
  private final OutboxListener listener;
  private final DirectWriter writer;
  private final ScheduledExecutorService scheduler;
  // Waiting messages in send order, replaced ones left in place but dead; only conflatable ones
  // are also indexed by key, so a trade costs one append and no hashing on the hot path.
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final HashMap<Object, Entry> byKey = new HashMap<>();
  private int live;
  /** The bytes of the live waiting entries. */
  private long liveBytes;
  private ScheduledFuture<?> forcedClose;
  private boolean sending;
  private long sendStartedNanos;
  private Thread inSend;
  private CloseReason closeWhenDrained;
  /**
   * A close asked for while a send was in flight, carried out when it returns (or after the grace):
   * Open Liberty writes the close frame beside a write still in flight after waiting 5.5 s for it,
   * and the two writes on one connection then hang for good, the close frame never sent.
   */
  private CloseReason closeAfterSend;
  private boolean closed;
  private long conflated;
  // sends go through the writer's blocking writes until one blocked (then asynchronous for good)
  private boolean direct;
  private boolean scheduled;

  public ClientOutbox(
      FrameSink sink, Framer framer, Limits limits, byte[] slowFrame, LongSupplier nanoTime) {
    this(sink, framer, limits, slowFrame, nanoTime, OutboxListener.NONE);
  }

  public ClientOutbox(
      FrameSink sink,
      Framer framer,
      Limits limits,
      byte[] slowFrame,
      LongSupplier nanoTime,
      OutboxListener listener) {
    this(sink, framer, limits, slowFrame, nanoTime, listener, null);
  }

  /**
   * With a {@code writer}, frames leave through its blocking writes (no container hand-off per
   * frame) until one of them blocks; null sends asynchronously only.
   */
  public ClientOutbox(
      FrameSink sink,
      Framer framer,
      Limits limits,
      byte[] slowFrame,
      LongSupplier nanoTime,
      OutboxListener listener,
      DirectWriter writer) {
    this(sink, framer, limits, slowFrame, nanoTime, listener, writer, null);
  }

  /**
   * With a {@code scheduler}, a close that waits for the queue to drain is forced after {@link
   * Limits#closeGrace}; null waits as long as the peer takes to read.
   */
  public ClientOutbox(
      FrameSink sink,
      Framer framer,
      Limits limits,
      byte[] slowFrame,
      LongSupplier nanoTime,
      OutboxListener listener,
      DirectWriter writer,
      ScheduledExecutorService scheduler) {
    this.sink = sink;
    this.framer = framer;
    this.limits = limits;
    this.slowFrame = slowFrame;
    this.nanoTime = nanoTime;
    this.listener = listener;
    this.writer = writer;
    this.scheduler = scheduler;
    this.direct = writer != null;
  }

  /** Queues data messages that became ready together; they leave in as few frames as fit. */
  public Offer data(List<Item> items) {
    if (items.isEmpty()) {
      return Offer.QUEUED;
    }
    Offer offer = Offer.QUEUED;
    synchronized (this) {
      if (closed || closeWhenDrained != null) {
        return Offer.CLOSED;
      }
      for (Item item : items) {
        Object key = item.conflationKey();
        Entry entry = new Entry(item.bytes(), false, item.eventNanos(), key);
        if (key != null) {
          Entry replaced = byKey.put(key, entry);
          if (replaced != null) {
            replaced.live = false; // moves to the back: the client still sees time order
            live--;
            liveBytes -= replaced.bytes.length;
            conflated++;
            listener.conflated();
          }
        }
        append(entry);
      }
      if (behind()) {
        cutOffLocked();
        offer = Offer.SLOW;
      }
    }
    pump();
    return offer;
  }

  /**
   * Queues a control message; it travels alone in its frame (Alpaca docs, §Messages). It counts
   * against the same limits as data: {@link Offer#SLOW} when it made the client slow.
   */
  public Offer control(byte[] frame) {
    Offer offer = Offer.QUEUED;
    synchronized (this) {
      if (closed || closeWhenDrained != null) {
        return Offer.CLOSED;
      }
      append(new Entry(frame, true, 0, null));
      if (behind()) {
        cutOffLocked();
        offer = Offer.SLOW;
      }
    }
    pump();
    return offer;
  }

  /**
   * Sends what is queued and a last frame (an error), then closes the session; when the queue is
   * over its limits, the last frame alone. Forced after {@link Limits#closeGrace} (with a
   * scheduler) if the peer does not read it.
   */
  public void finish(byte[] lastFrame, CloseReason reason) {
    synchronized (this) {
      if (closed || closeWhenDrained != null) {
        return;
      }
      append(new Entry(lastFrame, true, 0, null));
      if (behind()) {
        listener.dropped(live - 1);
        clear();
        append(new Entry(lastFrame, true, 0, null));
      }
      closeWhenDrained = reason;
      forceCloseLater(reason);
    }
    pump();
  }

  /** Under the lock: drops what waits, queues the {@code 407} and closes after it (or the grace). */
  private void cutOffLocked() {
    listener.dropped(live);
    clear();
    append(new Entry(slowFrame, true, 0, null));
    closeWhenDrained = SLOW;
    forceCloseLater(SLOW);
  }

  /** Under the lock: a close waiting for the peer to read is forced after the grace. */
  private void forceCloseLater(CloseReason reason) {
    if (scheduler == null) {
      return;
    }
    try {
      forcedClose = scheduler.schedule(
          () -> forceClose(reason), limits.closeGrace().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) { // the gateway is stopping: its shutdown closes us
      LOG.fine(() -> "client " + sink.id() + ": forced close not scheduled: " + e);
    }
  }

  private void forceClose(CloseReason reason) {
    boolean stuckSend;
    synchronized (this) {
      if (closed && closeAfterSend == null) {
        return;
      }
      stuckSend = closeAfterSend != null;
      closeAfterSend = null;
      forcedClose = null;
    }
    LOG.fine(() -> "client " + sink.id() + ": did not read its last frames within "
        + limits.closeGrace() + "; closing it");
    if (stuckSend) {
      sink.close(reason); // the send abort() waited for is one the peer does not read
    } else {
      close(reason, false);
    }
  }

  /**
   * Closes at once, dropping what is queued; with a send in flight, when it returns (at the latest
   * after the grace, with a scheduler).
   */
  public void abort(CloseReason reason) {
    close(reason, true);
  }

  private void close(CloseReason reason, boolean afterSend) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (live > 0) {
        listener.dropped(live);
        clear();
      }
      cancelForcedClose();
      if (sending && afterSend) {
        // the send in flight returns (the peer read it, or the connection failed) and closes then;
        // a peer that never reads is closed after the grace all the same
        closeAfterSend = reason;
        forceCloseLater(reason);
        return;
      }
    }
    sink.close(reason);
  }

  /**
   * Under the lock, when a send returned: the close {@link #abort} left for it, or null. Its forced
   * close is cancelled, since the close happens now.
   */
  private CloseReason takeCloseAfterSendLocked() {
    CloseReason reason = closeAfterSend;
    if (reason != null) {
      closeAfterSend = null;
      cancelForcedClose();
    }
    return reason;
  }

  public synchronized int pending() {
    return live;
  }

  /** The bytes of the messages waiting (not the one in flight). */
  public synchronized long pendingBytes() {
    return liveBytes;
  }

  /** How many waiting messages a newer one replaced. */
  public synchronized long conflated() {
    return conflated;
  }

  public synchronized boolean closing() {
    return closed || closeWhenDrained != null;
  }

  private boolean behind() {
    return live > limits.maxPending()
        || (liveBytes > limits.maxPendingBytes() && live > 1)
        || (sending && nanoTime.getAsLong() - sendStartedNanos > limits.slowAfter().toNanos());
  }

  /** What goes out next: a frame (data or control), a close, or nothing. */
  private record Next(byte[] frame, List<byte[]> batch, long oldest, CloseReason close) {

    static final Next NOTHING = new Next(null, null, 0, null);
  }

  /** Under the lock: takes what goes out next and marks a send in flight if there is one. */
  private Next takeLocked() {
    if (sending || closed) {
      return Next.NOTHING;
    }
    List<byte[]> batch = new ArrayList<>();
    long[] oldest = {0};
    boolean control = takeNext(batch, oldest);
    if (batch.isEmpty()) {
      if (closeWhenDrained == null) {
        return Next.NOTHING;
      }
      closed = true;
      cancelForcedClose();
      return new Next(null, null, 0, closeWhenDrained);
    }
    sending = true;
    sendStartedNanos = nanoTime.getAsLong();
    return control ? new Next(batch.get(0), null, 0, null) : new Next(null, batch, oldest[0], null);
  }

  /** Outside the lock: the frame's bytes, counting data messages as sent. */
  private byte[] frameOf(Next next) {
    if (next.batch() == null) {
      return next.frame();
    }
    listener.sent(next.batch().size(), next.oldest());
    return framer.frame(next.batch());
  }

  private void pump() {
    boolean toWriter = false;
    synchronized (this) {
      if (direct && !writer.disabled()) {
        if (scheduled || sending || closed || (live == 0 && closeWhenDrained == null)) {
          return; // the writer has it already, or there is nothing to send
        }
        scheduled = true;
        toWriter = true;
      }
    }
    if (toWriter) {
      writer.schedule(this);
    } else {
      pumpAsync();
    }
  }

  private void pumpAsync() {
    while (true) {
      Next next;
      synchronized (this) {
        next = takeLocked();
        if (next.frame() != null || next.batch() != null) {
          inSend = Thread.currentThread();
        }
      }
      if (next.close() != null) {
        sink.close(next.close());
        return;
      }
      if (next == Next.NOTHING) {
        return;
      }
      sink.send(frameOf(next), this::sent);
      synchronized (this) {
        inSend = null;
        if (sending) {
          return; // completes later, and that thread carries on draining
        }
      } // completed inline: loop instead of recursing
    }
  }

  /**
   * On the writer's thread: sends the next frame with a blocking write. True when more is waiting
   * and the writer should come back to this outbox; false when it is done with it for now.
   */
  boolean flush() {
    Next next;
    boolean async = false;
    synchronized (this) {
      if (!direct || writer.disabled()) {
        scheduled = false;
        async = true;
        next = Next.NOTHING;
      } else {
        next = takeLocked();
        if (next.frame() == null && next.batch() == null) {
          scheduled = false; // nothing to write: a close, or nothing at all
        }
      }
    }
    if (async) {
      pumpAsync();
      return false;
    }
    if (next.close() != null) {
      sink.close(next.close());
      return false;
    }
    if (next == Next.NOTHING) {
      return false;
    }
    Exception failure = null;
    try {
      sink.write(frameOf(next));
    } catch (IOException | RuntimeException e) { // a session closed or failing under us
      failure = e;
    }
    boolean more;
    boolean demoted;
    CloseReason closeNow;
    synchronized (this) {
      sending = false;
      closeNow = takeCloseAfterSendLocked();
      demoted = !direct || writer.disabled();
      more = failure == null && !demoted && !closed && (live > 0 || closeWhenDrained != null);
      if (!more) {
        scheduled = false;
      }
    }
    if (closeNow != null) {
      sink.close(closeNow);
      return false;
    }
    if (failure != null) {
      Exception cause = failure;
      LOG.fine(() -> "client " + sink.id() + ": write failed: " + cause);
      abort(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
    } else if (demoted) {
      pumpAsync(); // what waited meanwhile leaves asynchronously
    }
    return more;
  }

  /**
   * A blocking write of this client took too long (its socket buffer is full): from now on its
   * frames go asynchronously, where the slow-client policy sees it fall behind.
   */
  void demote() {
    synchronized (this) {
      if (!direct) {
        return;
      }
      direct = false;
    }
    pumpAsync();
  }

  /** Whether frames still go through the writer's blocking writes. */
  public synchronized boolean direct() {
    return direct;
  }

  /** Whether the client's connection is still open. */
  boolean open() {
    return sink.open();
  }

  /** For log lines: which client this is. */
  String id() {
    return sink.id();
  }

  /**
   * Under the lock: the next control frame alone, or the next run of data messages, noting in
   * {@code oldest[0]} the earliest upstream timestamp among them.
   */
  private boolean takeNext(List<byte[]> batch, long[] oldest) {
    int bytes = 0;
    Entry entry;
    while (bytes < limits.maxFrameBytes() && (entry = queue.peekFirst()) != null) {
      if (!entry.live) {
        queue.pollFirst();
        continue;
      }
      if (entry.control && !batch.isEmpty()) {
        return false;
      }
      queue.pollFirst();
      live--;
      liveBytes -= entry.bytes.length;
      if (entry.key != null) {
        byKey.remove(entry.key);
      }
      batch.add(entry.bytes);
      if (entry.control) {
        return true;
      }
      if (entry.eventNanos != 0 && (oldest[0] == 0 || entry.eventNanos < oldest[0])) {
        oldest[0] = entry.eventNanos;
      }
      bytes += entry.bytes.length;
    }
    return false;
  }

  private void append(Entry entry) {
    queue.addLast(entry);
    live++;
    liveBytes += entry.bytes.length;
    if (queue.size() > 2 * live + 64) {
      queue.removeIf(e -> !e.live); // replaced quotes of a client behind: drop them, amortized
    }
  }

  private void clear() {
    queue.clear();
    byKey.clear();
    live = 0;
    liveBytes = 0;
  }

  private void cancelForcedClose() {
    if (forcedClose != null) {
      forcedClose.cancel(false);
      forcedClose = null;
    }
  }

  private void sent(Throwable failure) {
    boolean inline;
    CloseReason closeNow;
    synchronized (this) {
      sending = false;
      inline = inSend == Thread.currentThread();
      closeNow = takeCloseAfterSendLocked();
    }
    if (closeNow != null) {
      sink.close(closeNow);
      return;
    }
    if (failure != null) {
      LOG.fine(() -> "client " + sink.id() + ": send failed: " + failure);
      abort(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
    } else if (!inline) {
      pump();
    }
  }
}
