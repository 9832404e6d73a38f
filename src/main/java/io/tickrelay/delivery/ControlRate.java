package io.tickrelay.delivery;

/**
 * A per-client token bucket for the messages a client sends: within the rate every message is
 * served; beyond it messages are refused (the first refusal of a burst is answered, the rest are
 * dropped), and a client that keeps flooding past {@code closeAfter} refusals is closed. Refusals
 * count until the bucket is full again, not only in a row: a flood that gets a refilled token now
 * and then (any rate above the limit) is closed too. Shared by every client hub (Alpaca-protocol
 * paths and the trading stream).
 */
public final class ControlRate {

  /** Messages per second, burst size, and refusals before the bucket is full again that close the client. */
  public record Limits(double perSecond, int burst, int closeAfter) {}

  public enum Verdict {
    ALLOW,
    REFUSE_AND_ANSWER,
    REFUSE_SILENTLY,
    CLOSE
  }

  private final Limits limits;
  private double tokens;
  private long lastNanos;
  private int refusedInARow;
  private int refusedSinceFull;

  public ControlRate(Limits limits, long nowNanos) {
    this.limits = limits;
    this.tokens = limits.burst();
    this.lastNanos = nowNanos;
  }

  public synchronized Verdict admit(long nowNanos) {
    double elapsedSeconds = Math.max(0, nowNanos - lastNanos) / 1e9;
    tokens = Math.min(limits.burst(), tokens + elapsedSeconds * limits.perSecond());
    lastNanos = nowNanos;
    if (tokens >= limits.burst()) {
      refusedSinceFull = 0; // the client kept to its rate long enough to fill the bucket
    }
    if (tokens >= 1) {
      tokens -= 1;
      refusedInARow = 0;
      return Verdict.ALLOW;
    }
    refusedInARow++;
    refusedSinceFull++;
    if (refusedSinceFull > limits.closeAfter()) {
      return Verdict.CLOSE;
    }
    return refusedInARow == 1 ? Verdict.REFUSE_AND_ANSWER : Verdict.REFUSE_SILENTLY;
  }
}
