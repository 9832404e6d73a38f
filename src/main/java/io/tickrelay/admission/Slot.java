package io.tickrelay.admission;

import java.util.concurrent.ScheduledFuture;

/**
 * One client socket's standing with the {@link Admission}: its remote address, the credential it
 * counts against once authenticated, its auth deadline, and whether it was released. Changed only
 * under the admission's lock, except the deadline, which has its own.
 */
public final class Slot {

  private final String address;
  private Refusal refusal;
  private String credentialKey;
  private boolean released;
  private ScheduledFuture<?> deadline;
  // what the deadline does when it passes, dropped when it is cancelled: a cancelled task can stay
  // with the scheduler (Open Liberty's managed one keeps it until its next purge, every 20th
  // schedule), and must not keep the client, with its container session, that this closes over
  private Runnable onDeadline;
  private boolean deadlineCancelled;

  Slot(String address) {
    this.address = address;
  }

  /** The remote address, null when the container did not tell. */
  public String address() {
    return address;
  }

  /** Why the socket was turned away at connect; null when admitted. */
  public Refusal refusal() {
    return refusal;
  }

  /** The key of the credential it counts against; null until a granted claim. */
  public synchronized String credentialKey() {
    return credentialKey;
  }

  /** Whether the socket was let go (closed, or closing without waiting for the peer). */
  public synchronized boolean released() {
    return released;
  }

  void refuse(Refusal why) {
    refusal = why;
  }

  synchronized void authenticated(String key) {
    credentialKey = key;
  }

  synchronized void release() {
    released = true;
  }

  /** What passing the deadline does, unless the deadline is cancelled first. */
  synchronized void onDeadline(Runnable action) {
    if (!deadlineCancelled) {
      onDeadline = action;
    }
  }

  /** The scheduled task: runs the action once, if still there; holds nothing else. */
  void deadlinePassed() {
    Runnable action;
    synchronized (this) {
      action = onDeadline;
      onDeadline = null;
    }
    if (action != null) {
      action.run();
    }
  }

  synchronized void deadline(ScheduledFuture<?> future) {
    if (deadlineCancelled) {
      future.cancel(false);
    } else {
      deadline = future;
    }
  }

  synchronized void cancelDeadline() {
    deadlineCancelled = true;
    onDeadline = null;
    if (deadline != null) {
      deadline.cancel(false);
    }
  }
}
