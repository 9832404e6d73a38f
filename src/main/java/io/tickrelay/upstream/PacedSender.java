package io.tickrelay.upstream;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Sends one session's control frames no closer together than the protocol's pace (Binance: 5
 * incoming messages per second, web-socket-streams.md "WebSocket Limits"); with no pace it sends at
 * once. Frames keep their order: one queue per connection, one frame per slot.
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

  private record Pending(Session target, Frame frame, BooleanSupplier stillWanted) {}

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
    synchronized (this) {
      queue.add(new Pending(target, frame, stillWanted));
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
        next = queue.poll();
        if (!next.stillWanted().getAsBoolean()) {
          continue; // its session is gone: it takes no slot
        }
        nextSlot = now.plus(pace);
      }
      sendNow(next.target(), next.frame());
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
