package io.tickrelay.cluster;

/**
 * Sequence numbers {@code from} to {@code to} (inclusive) of {@code epoch} that a reader will never
 * deliver, and why. {@code to} is {@link #REST} when the whole rest of the epoch is gone (Redis
 * lost its data): the next entry delivered belongs to a new epoch.
 */
public record LogGap(String epoch, long from, long to, Reason reason) {

  /** {@code to} for "the rest of the epoch". */
  public static final long REST = Long.MAX_VALUE;

  /** Why the numbers are missing. */
  public enum Reason {
    /** The log was capped past this reader's position (it fell behind the resume window). */
    TRIMMED,
    /** Redis lost the log and its numbering (a restart without persistence, a failover). */
    DATA_LOST,
    /** The entry is there but this node cannot read it (a newer format in a rolling upgrade). */
    UNREADABLE
  }
}
