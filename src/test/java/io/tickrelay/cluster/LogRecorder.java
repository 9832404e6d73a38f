package io.tickrelay.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * A log listener that keeps everything it is told, in order, and a thread factory that keeps the
 * threads it made, so a test can check that a reader left none behind.
 */
final class LogRecorder implements LogListener, ThreadFactory {

  private final List<Object> seen = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  @Override
  public void entry(LogEntry entry) {
    seen.add(entry);
  }

  @Override
  public void gap(LogGap gap) {
    seen.add(gap);
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, "log-reader-" + threads.size());
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /** Entries and gaps in the order delivered. */
  List<Object> seen() {
    return List.copyOf(seen);
  }

  List<LogEntry> entries() {
    List<LogEntry> entries = new ArrayList<>();
    for (Object item : seen) {
      if (item instanceof LogEntry entry) {
        entries.add(entry);
      }
    }
    return entries;
  }

  List<LogGap> gaps() {
    List<LogGap> gaps = new ArrayList<>();
    for (Object item : seen) {
      if (item instanceof LogGap gap) {
        gaps.add(gap);
      }
    }
    return gaps;
  }

  /** Sequence numbers covered so far, entries and gaps alike (a gap to REST counts as one). */
  long covered() {
    long total = 0;
    for (Object item : seen) {
      if (item instanceof LogEntry entry) {
        total += entry.count();
      } else if (item instanceof LogGap gap) {
        total += gap.to() == LogGap.REST ? 1 : gap.to() - gap.from() + 1;
      }
    }
    return total;
  }

  boolean anyThreadAlive() {
    return threads.stream().anyMatch(Thread::isAlive);
  }

  int threadCount() {
    return threads.size();
  }
}
