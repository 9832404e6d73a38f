package io.tickrelay.cluster;

/**
 * A log entry this node cannot read: a format newer than its own (a rolling upgrade) or bytes that
 * are not an entry. The reader reports it as a gap and goes on; the message names the format,
 * never the entry's content.
 */
public final class UnreadableEntry extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public UnreadableEntry(String message) {
    super(message, null, false, false);
  }
}
