package io.tickrelay.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * One measurement window, shared by every client of a phase: the driver's last trade id per symbol
 * when it opened and when it closed, so a trade counts when {@code start < id <= end}; the latency
 * histogram (microseconds) and the counters the clients add to.
 */
final class Window {

  private volatile long[] start;
  private volatile long[] end;
  // 1 µs to 1 hour, 3 significant digits; Recorder takes values from many threads without locks
  final Recorder latencyMicros = new Recorder(3_600_000_000L, 3);
  final LongAdder delivered = new LongAdder();
  final LongAdder gaps = new LongAdder();
  final LongAdder outOfOrder = new LongAdder();
  final LongAdder framesReceived = new LongAdder();

  void open(long[] ids) {
    end = null;
    start = ids;
  }

  void close(long[] ids) {
    end = ids;
  }

  /** Whether trade {@code id} of {@code symbol} was published inside the window. */
  boolean contains(int symbol, long id) {
    long[] s = start;
    if (s == null || id <= s[symbol]) {
      return false;
    }
    long[] e = end;
    return e == null || id <= e[symbol];
  }

  long[] start() {
    return start;
  }

  long[] end() {
    return end;
  }
}
