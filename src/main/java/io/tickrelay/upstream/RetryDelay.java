package io.tickrelay.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * How long a connection waits after a failure, by the reaction of its error-table row: the next
 * feed at once after "plan lacks this feed", the backoff otherwise, with a floor for a taken slot
 * or throttling and the cap when retrying cannot help, and at once (a small jitter) for the first
 * network failure after a healthy session. Records the failure in the figures. Called
 * under the connection's lock.
 */
final class RetryDelay {

  private static final Logger LOG = Logger.getLogger(RetryDelay.class.getName());

  private final UpstreamSettings settings;

  RetryDelay(UpstreamSettings settings) {
    this.settings = settings;
  }

  /**
   * @param healthy the failed session had been live for at least the quick reconnect's {@code
   *     healthyAfter}: a plain network failure or stall is then retried at once (small jitter)
   */
  Duration after(ErrorStrategies.ErrorStrategy row, String why, ConnectionFigures figures, FeedChain feeds,
      Instant now, boolean healthy) {
    if (row.reaction() == FailureReaction.NEXT_FEED) {
      figures.lastError = new UpstreamStatus.LastError(row.code(), why, row.meaning(), row.remedy(), now);
      figures.reconnects++;
      String from = feeds.current();
      if (feeds.refused()) {
        LOG.warning(settings.name() + ": feed " + from + " refused; now " + feeds.current() + " (" + feeds.reason() + ")");
        return Duration.ZERO;
      }
      figures.consecutiveFailures++;
      return settings.backoff().max();
    }
    figures.failed(row, why, now);
    if (healthy && (row.reaction() == FailureReaction.RECONNECT || row.reaction() == FailureReaction.RECONNECT_COUNTED)) {
      figures.quickRetried = true;
      if (row.reaction() == FailureReaction.RECONNECT_COUNTED) {
        figures.slowClientDisconnects++;
      }
      long jitterNanos = settings.quickReconnect().jitter().toNanos();
      return Duration.ofNanos(jitterNanos <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterNanos + 1));
    }
    // the quick retry was an extra step: the backoff after it starts where it always did
    int attempt = figures.consecutiveFailures - (figures.quickRetried ? 1 : 0);
    Duration backoff = settings.backoff().delay(attempt, ThreadLocalRandom.current().nextDouble());
    return switch (row.reaction()) {
      case RECONNECT_SLOWLY -> settings.backoff().max();
      case WAIT_FOR_SLOT -> max(settings.connectionLimitWait(), backoff);
      case THROTTLED -> max(settings.throttledFloor(), backoff);
      case RECONNECT_COUNTED -> {
        figures.slowClientDisconnects++;
        yield backoff;
      }
      default -> backoff;
    };
  }

  /** The state a failure leaves the connection in: ERROR when retrying soon cannot help. */
  UpstreamState stateAfter(ErrorStrategies.ErrorStrategy row, Duration delay) {
    boolean hopeless = row.reaction() == FailureReaction.RECONNECT_SLOWLY
        || delay.equals(settings.backoff().max()) && row.reaction() == FailureReaction.NEXT_FEED;
    return hopeless ? UpstreamState.ERROR : UpstreamState.BACKING_OFF;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
