package io.tickrelay.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed upper bounds in seconds: recording is a binary search and two
 * adds, safe from any thread, so the fan-out pays nothing worth measuring.
 */
public final class Histogram {

  private final double[] upperBounds;
  private final LongAdder[] buckets;
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();

  Histogram(double... upperBoundsSeconds) {
    this.upperBounds = upperBoundsSeconds.clone();
    Arrays.sort(this.upperBounds);
    this.buckets = new LongAdder[upperBounds.length];
    Arrays.setAll(buckets, i -> new LongAdder());
  }

  /** One observation; negative durations (clock skew between upstream and us) count as zero. */
  public void recordNanos(long nanos) {
    double seconds = Math.max(0, nanos) / 1e9;
    int i = Arrays.binarySearch(upperBounds, seconds);
    int bucket = i >= 0 ? i : -i - 1; // the first bound >= the value ("le" is inclusive)
    if (bucket < buckets.length) {
      buckets[bucket].increment();
    }
    count.increment();
    sum.add(seconds);
  }

  /** A consistent-enough view for one scrape: cumulative counts per bound, then +Inf. */
  Snapshot snapshot() {
    long[] cumulative = new long[upperBounds.length];
    long running = 0;
    for (int i = 0; i < buckets.length; i++) {
      running += buckets[i].sum();
      cumulative[i] = running;
    }
    // count read last, so +Inf is never below the last bucket
    return new Snapshot(upperBounds.clone(), cumulative, Math.max(running, count.sum()), sum.sum());
  }

  record Snapshot(double[] upperBounds, long[] cumulative, long count, double sum) {}
}
