package io.tickrelay.upstream;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Sends one session's control frames no closer together than the protocol's pace (Binance: 5
 * incoming messages per second, web-socket-streams.md "WebSocket Limits"); with no pace it sends at
 * once. Frames keep their order: each gets the next free slot.
 */
final class PacedSender {

  private static final Logger LOG = Logger.getLogger(PacedSender.class.getName());

  private final String name;
  private final Duration pace;
  private final Tasks tasks;
  private final Clock clock;
  private Instant nextSlot = Instant.MIN;

  PacedSender(String name, Duration pace, Tasks tasks, Clock clock) {
    this.name = name;
    this.pace = pace;
    this.tasks = tasks;
    this.clock = clock;
  }

  /** Sends {@code frame} now or at its slot, unless {@code stillWanted} says the session is gone. */
  void send(Session target, Frame frame, BooleanSupplier stillWanted) {
    if (pace.isZero()) {
      sendNow(target, frame);
      return;
    }
    Duration delay;
    synchronized (this) {
      Instant now = clock.instant();
      Instant slot = nextSlot.isAfter(now) ? nextSlot : now;
      nextSlot = slot.plus(pace);
      delay = Duration.between(now, slot);
    }
    if (delay.isZero()) {
      sendNow(target, frame);
    } else {
      tasks.schedule(() -> {
        if (stillWanted.getAsBoolean()) {
          sendNow(target, frame);
        }
      }, delay);
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
