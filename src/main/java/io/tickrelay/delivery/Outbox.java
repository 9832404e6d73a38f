package io.tickrelay.delivery;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * A client's bounded queue of frames with at most one asynchronous send in flight, so a fan-out
 * thread never blocks on a client and a container never sees concurrent sends on one session.
 */
public final class Outbox {

  private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

  private final Session session;
  private final boolean binary;
  private final int capacity;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();

  private boolean sending;
  private boolean closed;
  private CloseReason closeWhenDrained;
  // detects a send handler that the container runs inline, so draining loops instead of recursing
  private Thread sender;
  private long senderSeq;
  private long sendSeq;
  private long inlineDoneSeq = -1;

  public Outbox(Session session, boolean binary, int capacity) {
    this.session = session;
    this.binary = binary;
    this.capacity = capacity;
  }

  /** Queues a frame; false when the client is so far behind that the queue is full. */
  public boolean offer(byte[] frame) {
    synchronized (this) {
      if (closed || closeWhenDrained != null) {
        return true;
      }
      if (sending) {
        if (queue.size() >= capacity) {
          return false;
        }
        queue.add(frame);
        return true;
      }
      sending = true;
    }
    drain(frame);
    return true;
  }

  /** Sends a last frame (an error), then closes the session. */
  public void finish(byte[] lastFrame, CloseReason reason) {
    synchronized (this) {
      if (closed || closeWhenDrained != null) {
        return;
      }
      closeWhenDrained = reason;
      if (sending) {
        queue.add(lastFrame);
        return;
      }
      sending = true;
    }
    drain(lastFrame);
  }

  /** Closes at once, dropping what is queued (a client that fell too far behind). */
  public void abort(CloseReason reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
    }
    close(reason);
  }

  public synchronized int queued() {
    return queue.size();
  }

  private void drain(byte[] first) {
    byte[] next = first;
    while (next != null) {
      long seq;
      synchronized (this) {
        seq = ++sendSeq;
        sender = Thread.currentThread();
        senderSeq = seq;
      }
      transmit(next, seq);
      synchronized (this) {
        if (senderSeq == seq) {
          sender = null;
        }
        if (inlineDoneSeq != seq) {
          return; // completes later on another thread, which carries on draining
        }
        next = nextOrIdle();
      }
    }
  }

  private void transmit(byte[] frame, long seq) {
    try {
      if (binary) {
        session.getAsyncRemote().sendBinary(ByteBuffer.wrap(frame), result -> completed(seq, result));
      } else {
        session
            .getAsyncRemote()
            .sendText(new String(frame, StandardCharsets.UTF_8), result -> completed(seq, result));
      }
    } catch (RuntimeException e) { // a session closed under us
      completed(seq, new SendResult(e));
    }
  }

  private void completed(long seq, SendResult result) {
    if (!result.isOK()) {
      LOG.fine(() -> "client " + session.getId() + ": send failed: " + result.getException());
      abort(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
      return;
    }
    byte[] next;
    synchronized (this) {
      if (sender == Thread.currentThread() && senderSeq == seq) {
        inlineDoneSeq = seq;
        return;
      }
      next = nextOrIdle();
    }
    if (next != null) {
      drain(next);
    }
  }

  /** Under the lock: the next frame, or null after marking idle (and closing if asked to). */
  private byte[] nextOrIdle() {
    byte[] next = closed ? null : queue.poll();
    if (next == null) {
      sending = false;
      if (closeWhenDrained != null && !closed) {
        closed = true;
        CloseReason reason = closeWhenDrained;
        // close outside the caller's lock would be nicer; closing is asynchronous in practice
        close(reason);
      }
    }
    return next;
  }

  private void close(CloseReason reason) {
    try {
      if (session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException | IllegalStateException e) {
      LOG.fine(() -> "client " + session.getId() + ": close failed: " + e.getMessage());
    }
  }
}
