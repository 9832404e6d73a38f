package io.tickrelay.supervision;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one {@link DutyCycle} on a thread of its own with one error path: a {@link RuntimeException}
 * is logged, counted and the loop goes on (one bad batch must not stop it); an {@link Error}
 * (out of memory, stack overflow) ends it, because the thread's state can no longer be trusted, and
 * the loop is then reported dead ({@link #health()}) and {@code onDeath} runs, so whoever feeds it
 * stops waiting for it.
 */
public final class LoopRunner {

  private static final Logger LOG = Logger.getLogger(LoopRunner.class.getName());

  private final String name;
  private final DutyCycle cycle;
  private final BooleanSupplier stopped;
  private final Runnable onDeath;
  private final AtomicLong errors = new AtomicLong();
  private volatile String failure;
  private volatile boolean ended;

  /**
   * @param stopped whether the owner stopped it: the loop then ends quietly
   * @param onDeath runs once on the loop's thread after an {@code Error} ended it
   */
  public LoopRunner(String name, DutyCycle cycle, BooleanSupplier stopped, Runnable onDeath) {
    this.name = name;
    this.cycle = cycle;
    this.stopped = stopped;
    this.onDeath = onDeath;
  }

  /** Starts the loop on a daemon thread from {@code threads}; returns that thread. */
  public Thread start(ThreadFactory threads) {
    Thread thread = threads.newThread(this::run);
    thread.setName(name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The loop itself, for a caller that owns the thread (a replaced writer, say). */
  public void run() {
    try {
      while (!stopped.getAsBoolean()) {
        try {
          cycle.doWork();
        } catch (InterruptedException e) {
          if (!stopped.getAsBoolean()) {
            die("interrupted while running");
          }
          return;
        } catch (RuntimeException e) { // the duty-cycle boundary: the loop outlives one bad round
          long count = errors.incrementAndGet();
          LOG.log(count == 1 ? Level.WARNING : Level.FINE, name + ": a round failed (" + count + " so far)", e);
        } catch (Error e) {
          errors.incrementAndGet();
          LOG.log(Level.SEVERE, name + " died; the gateway needs a restart (liveness is DOWN)", e);
          die(e.getClass().getName() + ": " + e.getMessage());
          return;
        }
      }
    } finally {
      ended = true;
    }
  }

  private void die(String why) {
    failure = why;
    try {
      onDeath.run();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, name + ": clean-up after its death failed", e);
    }
  }

  /** What liveness reads. */
  public LoopHealth health() {
    String why = failure;
    return new LoopHealth(name, why == null, errors.get(), why);
  }

  /** True once the loop ended, stopped or dead. */
  public boolean ended() {
    return ended;
  }
}
