package io.tickrelay.publish;

import io.tickrelay.admission.Admission;
import io.tickrelay.admission.Refusal;
import io.tickrelay.config.Credential;
import io.tickrelay.config.Credentials;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Who may publish where and how fast: the configured publisher credentials, checked behind the
 * gateway's one failed-authentication throttle (the {@link Admission} the WebSocket hubs share),
 * and one rate per authenticated publisher (created on its first request, so strangers create
 * none).
 */
final class Publishers {

  private final Credentials credentials;
  private final double perSecond;
  private final LongSupplier nanoTime;
  private final Admission admission;
  private final ConcurrentMap<String, PublishRate> rates = new ConcurrentHashMap<>();

  Publishers(Credentials credentials, double perSecond, LongSupplier nanoTime, Admission admission) {
    new PublishRate(perSecond, 0); // fail at start-up, not on the first request
    this.credentials = credentials;
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.admission = admission;
  }

  /**
   * The publisher whose key and secret came from {@code address} (null when unknown); a key that
   * failed too often from there, or an address that did, is refused unheard with 429, as the
   * WebSocket paths refuse it (docs/PROTOCOL.md "Limits").
   */
  Credential authenticate(Optional<PublisherAuth> auth, String address) throws PublishRefused {
    if (auth.isEmpty()) {
      throw new PublishRefused(401, "publisher credentials required");
    }
    String key = auth.get().key();
    if (admission.throttled(address, key)) {
      throw PublishRefused.authThrottled(admission.limits().authFailureWindow());
    }
    Optional<Credential> publisher = credentials.authenticate(key, auth.get().secret());
    if (publisher.isEmpty()) {
      admission.authFailed(address, key);
      admission.refusals().count(Refusal.AUTH_FAILED);
      throw new PublishRefused(401, "unknown publisher key or wrong secret");
    }
    return publisher.get();
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
