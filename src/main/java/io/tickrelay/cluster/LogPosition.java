package io.tickrelay.cluster;

/**
 * Where a reader stands in a log: the last sequence number it delivered (0: none) in
 * {@code epoch} (null: whichever epoch the log has; the first entry is then expected at 1).
 */
public record LogPosition(String epoch, long seq) {

  /** From the log's first entry, in whatever epoch it is. */
  public static final LogPosition START = new LogPosition(null, 0);

  /** Only what is appended after the reader starts (the log's head when it first reaches Redis). */
  public static final LogPosition LATEST = new LogPosition(null, -1);

  public LogPosition {
    if (seq < -1 || (seq == -1 && epoch != null)) {
      throw new IllegalArgumentException("not a log position: " + epoch + "/" + seq);
    }
  }

  boolean latest() {
    return seq == -1;
  }
}
