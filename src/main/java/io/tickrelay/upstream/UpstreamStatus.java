package io.tickrelay.upstream;

import java.time.Instant;

/** A point-in-time view of one upstream connection for health and status. */
public record UpstreamStatus(
    String connection,
    String url,
    String feed,
    UpstreamState state,
    Instant since,
    String reason,
    long messagesIn,
    int reconnects) {

  public boolean live() {
    return state == UpstreamState.CONNECTED;
  }
}
