package io.tickrelay.simulator;

import java.util.Set;

/**
 * The faults a test or an operator can switch on in a running simulator; all off by default.
 * Session-wide actions (drop everyone, send an error) are methods of {@link AlpacaSimulator}.
 */
public final class SimulatorFaults {

  private volatile boolean muted;
  private volatile int refuseHandshakesWith;
  private volatile Set<String> deniedFeeds = Set.of();
  private volatile int symbolLimit;

  /** Mute: sockets stay open and pongs are answered (by the container), but no data flows. */
  public boolean muted() {
    return muted;
  }

  public void mute(boolean on) {
    muted = on;
  }

  /** An HTTP status (429, 503, ...) to refuse WebSocket handshakes with; 0 to accept them. */
  public int refuseHandshakesWith() {
    return refuseHandshakesWith;
  }

  public void refuseHandshakesWith(int status) {
    refuseHandshakesWith = status;
  }

  /** Feeds the account's plan lacks, answered with 409 at auth. */
  public Set<String> deniedFeeds() {
    return deniedFeeds;
  }

  public void denyFeeds(Set<String> feeds) {
    deniedFeeds = Set.copyOf(feeds);
  }

  /** Symbols a session may hold across channels before 405; 0 for no limit. */
  public int symbolLimit() {
    return symbolLimit;
  }

  public void symbolLimit(int limit) {
    symbolLimit = limit;
  }

  /** Switches every fault off. */
  public void clear() {
    muted = false;
    refuseHandshakesWith = 0;
    deniedFeeds = Set.of();
    symbolLimit = 0;
  }

  @Override
  public String toString() {
    return "{\"muted\":" + muted + ",\"refuseHandshakesWith\":" + refuseHandshakesWith
        + ",\"deniedFeeds\":\"" + String.join("+", deniedFeeds) + "\",\"symbolLimit\":" + symbolLimit + "}";
  }
}
