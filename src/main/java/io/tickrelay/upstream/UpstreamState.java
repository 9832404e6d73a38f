package io.tickrelay.upstream;

/** Lifecycle of one upstream connection; only {@link #CONNECTED} counts as live. */
public enum UpstreamState {
  DISCONNECTED,
  CONNECTING,
  AUTHENTICATING,
  CONNECTED,
  BACKING_OFF,
  STOPPED
}
