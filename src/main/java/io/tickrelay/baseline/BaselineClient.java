package io.tickrelay.baseline;

import jakarta.websocket.Session;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One baseline client: an unbounded queue and one asynchronous send in flight, the least a
 * container needs (concurrent async sends on one session are not allowed everywhere). Blocking
 * sends straight from the upstream thread would cost less CPU per frame, but on Open Liberty a
 * blocking write whose client disconnected while its socket buffer was full never returns (seen in
 * the fourth run: the upstream thread waited in the TCP channel's SimpleSync for good and the
 * baseline delivered nothing from then on), so the baseline stays asynchronous.
 */
final class BaselineClient {

  private final Session session;
  private final Queue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();

  BaselineClient(Session session) {
    this.session = session;
  }

  void send(String frame) {
    queue.add(frame);
    pump();
  }

  private void pump() {
    while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
      String next = queue.poll();
      if (next == null) {
        sending.set(false);
        continue;
      }
      try {
        session.getAsyncRemote().sendText(next, result -> {
          sending.set(false);
          if (result.isOK()) {
            pump();
          } else {
            queue.clear();
          }
        });
      } catch (RuntimeException e) { // the session closed under us: drop what waits
        queue.clear();
        sending.set(false);
      }
      return;
    }
  }
}
