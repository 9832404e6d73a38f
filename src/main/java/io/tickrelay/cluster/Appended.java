package io.tickrelay.cluster;

/**
 * The answer to a fenced append: accepted as entry {@code <seq>-0} of {@code epoch}, or refused
 * because the caller's term is no longer the current one ({@code current}: who holds the lease
 * now, null if nobody).
 *
 * @param seq the entry's first sequence number (its id); it covers the append's {@code count}
 *     numbers from there; 0 when refused
 * @param epoch the log's numbering, new when Redis had lost it; null when refused
 */
public record Appended(boolean accepted, long seq, String epoch, Holder current) {

  static Appended accepted(long seq, String epoch) {
    return new Appended(true, seq, epoch, null);
  }

  static Appended refused(Holder current) {
    return new Appended(false, 0, null, current);
  }

  /** The stream entry's id, {@code "<seq>-0"}; null when refused. */
  public String entryId() {
    return accepted ? seq + "-0" : null;
  }
}
