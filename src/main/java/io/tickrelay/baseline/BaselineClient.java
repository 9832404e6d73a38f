package io.tickrelay.baseline;

import jakarta.websocket.Session;
import java.io.IOException;

/**
 * One baseline client: each upstream frame is written to it with a blocking send on the upstream
 * read thread, with no queue and no hand-off, the cheapest forwarding the container offers (a
 * blocking write costs about half the CPU of an asynchronous send on Open Liberty, which queues
 * every one to its selector; docs/BENCHMARKS.md, fourth run). A client that stops reading stalls
 * them all: acceptable for a baseline, which has no slow-client policy by design.
 */
final class BaselineClient {

  private final Session session;
  private volatile boolean broken;

  BaselineClient(Session session) {
    this.session = session;
  }

  /** Called only from the one upstream session's read thread. */
  void send(String frame) {
    if (broken) {
      return;
    }
    try {
      session.getBasicRemote().sendText(frame);
    } catch (IOException | IllegalStateException e) { // closed under us: stop writing to it
      broken = true;
    }
  }
}
