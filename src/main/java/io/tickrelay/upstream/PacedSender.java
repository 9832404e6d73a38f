package io.tickrelay.upstream;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Sends one session's control frames no closer together than the protocol's pace (Binance: 5
 * incoming messages per second, web-socket-streams.md "WebSocket Limits"); with no pace it sends at
 * once. Frames keep their order: one queue per connection, one frame per slot. While frames wait,
 * the owner queues later changes as one entry made when its turn comes ({@link #sendLater}), so the
 * queue holds the net change, not every change (issue 15, review M10).
 */
final class PacedSender {

  private static final Logger LOG = Logger.getLogger(PacedSender.class.getName());

  private final String name;
  private final Duration pace;
  private final Tasks tasks;
  private final Clock clock;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private Instant nextSlot = Instant.MIN;
  private boolean scheduled;

  /** A frame, or ({@code frame} null) frames made when their turn comes. */
  private record Pending(
      Session target, Frame frame, Supplier<List<Frame>> later, BooleanSupplier stillWanted) {}

  PacedSender(String name, Duration pace, Tasks tasks, Clock clock) {
    this.name = name;
    this.pace = pace;
    this.tasks = tasks;
    this.clock = clock;
  }

  /** Sends {@code frame} now or in turn, unless {@code stillWanted} says by then the session is gone. */
  void send(Session target, Frame frame, BooleanSupplier stillWanted) {
    if (pace.isZero()) {
      sendNow(target, frame);
      return;
    }
    enqueue(new Pending(target, frame, null, stillWanted));
  }

  /**
   * Queues frames that {@code frames} makes when their turn comes (none: it takes no slot), so
   * changes made meanwhile go out as their net; with no pace they are made and sent at once.
   */
  void sendLater(Session target, Supplier<List<Frame>> frames, BooleanSupplier stillWanted) {
    if (pace.isZero()) {
      frames.get().forEach(frame -> sendNow(target, frame));
      return;
    }
    enqueue(new Pending(target, null, frames, stillWanted));
  }

  /** Whether frames wait for their slot: a change now would go out behind them. */
  synchronized boolean backlogged() {
    return scheduled || !queue.isEmpty();
  }

  private void enqueue(Pending pending) {
    synchronized (this) {
      queue.add(pending);
      if (scheduled) {
        return; // the scheduled drain takes it in turn
      }
    }
    drain();
  }

  /**
   * Sends what is due, one frame per slot; the next slot is counted from when a frame actually
   * went out, so a late timer never lets two frames through closer than the pace.
   */
  private void drain() {
    while (true) {
      Pending next;
      synchronized (this) {
        Instant now = clock.instant();
        if (queue.isEmpty()) {
          scheduled = false;
          return;
        }
        if (now.isBefore(nextSlot)) {
          scheduled = true;
          tasks.schedule(this::drain, Duration.between(now, nextSlot));
          return;
        }
        next = queue.peek();
        if (!next.stillWanted().getAsBoolean()) {
          queue.poll();
          continue; // its session is gone: it takes no slot
        }
        if (next.later() == null) {
          queue.poll();
          nextSlot = now.plus(pace);
        }
      }
      if (next.later() != null) {
        expand(next);
        continue;
      }
      sendNow(next.target(), next.frame());
    }
  }

  /** Outside the lock (the owner's lock comes first): a later entry becomes its frames, in place. */
  private void expand(Pending later) {
    List<Frame> frames = later.later().get();
    synchronized (this) {
      queue.remove(later);
      for (int i = frames.size() - 1; i >= 0; i--) {
        queue.addFirst(new Pending(later.target(), frames.get(i), null, later.stillWanted()));
      }
    }
  }

  void sendNow(Session target, Frame frame) {
    try {
      if (frame instanceof Frame.Text text) {
        target.getAsyncRemote().sendText(text.text(), result -> {
          if (!result.isOK()) {
            LOG.fine(() -> name + ": send failed: " + result.getException());
          }
        });
      } else if (frame instanceof Frame.Binary binary) {
        target.getAsyncRemote().sendBinary(ByteBuffer.wrap(binary.bytes()), result -> {
          if (!result.isOK()) {
            LOG.fine(() -> name + ": send failed: " + result.getException());
          }
        });
      }
    } catch (RuntimeException e) { // closed under us; the close callback handles the rest
      LOG.fine(() -> name + ": send failed: " + e);
    }
  }
}
