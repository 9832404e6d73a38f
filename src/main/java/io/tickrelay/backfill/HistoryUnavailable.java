package io.tickrelay.backfill;

/**
 * A history request that failed for good (after its retries) or ran out of time. The message
 * names the provider, the path and the status, never a secret or a query string.
 */
public class HistoryUnavailable extends Exception {

  private static final long serialVersionUID = 1L;

  private final ChannelRecovery.Outcome outcome;

  public HistoryUnavailable(ChannelRecovery.Outcome outcome, String message) {
    super(message);
    this.outcome = outcome;
  }

  public HistoryUnavailable(String message, Throwable cause) {
    super(message, cause);
    this.outcome = ChannelRecovery.Outcome.FAILED;
  }

  /** {@code FAILED} or {@code DEADLINE}. */
  public ChannelRecovery.Outcome outcome() {
    return outcome;
  }
}
