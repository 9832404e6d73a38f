package io.tickrelay.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * How long a connection waits after a failure, by the reaction of its error-table row: the next
 * feed at once after "plan lacks this feed", the backoff otherwise, with a floor for a taken slot
 * or throttling and the cap when retrying cannot help. Records the failure in the figures. Called
 * under the connection's lock.
 */
final class RetryDelay {

  private static final Logger LOG = Logger.getLogger(RetryDelay.class.getName());

  private final UpstreamSettings settings;

  RetryDelay(UpstreamSettings settings) {
    this.settings = settings;
  }

  Duration after(ErrorStrategies.ErrorStrategy row, String why, ConnectionFigures figures, FeedChain feeds, Instant now) {
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
    Duration backoff = settings.backoff().delay(figures.consecutiveFailures, ThreadLocalRandom.current().nextDouble());
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
