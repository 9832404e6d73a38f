package io.tickrelay.supervision;

/** One round of a loop's work; a loop runs it until stopped. */
@FunctionalInterface
public interface DutyCycle {

  /**
   * Does one round, waiting for work if there is none.
   *
   * @throws InterruptedException when the thread was interrupted: the loop ends
   */
  void doWork() throws InterruptedException;
}
