package io.tickrelay.cluster;

/**
 * What a {@link LogReader} delivers, in log order, on its own thread: entries and the gaps between
 * them. Each number of the log is either in an entry or in a gap, never both, never neither.
 * Methods should return quickly (the reader waits for them); an exception is logged and the
 * reader goes on.
 */
public interface LogListener {

  void entry(LogEntry entry);

  void gap(LogGap gap);
}
