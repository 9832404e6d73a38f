package io.tickrelay.publish;

import io.tickrelay.config.Credential;
import io.tickrelay.config.Credentials;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Who may publish where and how fast: the configured publisher credentials and one rate per
 * authenticated publisher (created on its first request, so strangers create none).
 */
final class Publishers {

  private final Credentials credentials;
  private final double perSecond;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, PublishRate> rates = new ConcurrentHashMap<>();

  Publishers(Credentials credentials, double perSecond, LongSupplier nanoTime) {
    new PublishRate(perSecond, 0); // fail at start-up, not on the first request
    this.credentials = credentials;
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
  }

  Credential authenticate(Optional<PublisherAuth> auth) throws PublishRefused {
    if (auth.isEmpty()) {
      throw new PublishRefused(401, "publisher credentials required");
    }
    return credentials
        .authenticate(auth.get().key(), auth.get().secret())
        .orElseThrow(() -> new PublishRefused(401, "unknown publisher key or wrong secret"));
  }

  static void checkAllowed(Credential publisher, String channel) throws PublishRefused {
    if (!publisher.allowsFeed(channel)) {
      throw new PublishRefused(403, "publisher may not publish on channel " + channel);
    }
  }

  /** Takes {@code events} from the publisher's rate, or refuses them all. */
  void admit(Credential publisher, int events) throws PublishRefused {
    PublishRate rate =
        rates.computeIfAbsent(publisher.key(), k -> new PublishRate(perSecond, nanoTime.getAsLong()));
    if (events > rate.burst()) {
      throw new PublishRefused(413, "at most " + rate.burst() + " events per request");
    }
    Duration wait = rate.take(events, nanoTime.getAsLong());
    if (!wait.isZero()) {
      throw PublishRefused.tooManyRequests(wait);
    }
  }
}
