package io.tickrelay.upstream;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of one upstream connection, with the transitions it allows; only {@link #CONNECTED}
 * counts as live. {@link #ERROR} means retrying will not help until something outside changes
 * (wrong credentials, a refused URL); the connection still retries, slowly.
 */
public enum UpstreamState {
  DISCONNECTED,
  CONNECTING,
  AUTHENTICATING,
  CONNECTED,
  DISCONNECTING,
  BACKING_OFF,
  ERROR,
  STOPPED;

  /** Whether moving from this state to {@code next} is legal. */
  public boolean canMoveTo(UpstreamState next) {
    return successors().contains(next);
  }

  private Set<UpstreamState> successors() {
    return switch (this) {
      case DISCONNECTED -> EnumSet.of(CONNECTING, STOPPED);
      case CONNECTING -> EnumSet.of(AUTHENTICATING, BACKING_OFF, ERROR, DISCONNECTING, STOPPED);
      case AUTHENTICATING -> EnumSet.of(CONNECTED, BACKING_OFF, ERROR, DISCONNECTING, STOPPED);
      case CONNECTED -> EnumSet.of(BACKING_OFF, ERROR, DISCONNECTING, STOPPED);
      case DISCONNECTING -> EnumSet.of(DISCONNECTED, STOPPED);
      case BACKING_OFF, ERROR -> EnumSet.of(CONNECTING, DISCONNECTED, STOPPED);
      case STOPPED -> EnumSet.noneOf(UpstreamState.class);
    };
  }
}
