package io.tickrelay.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.admission.Admission;
import io.tickrelay.admission.Refusal;
import io.tickrelay.config.Credential;
import io.tickrelay.config.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Publisher credentials (TICKRELAY_PUBLISHERS), the headers they arrive in, channels and rates. */
class PublishersTest {

  private final AtomicLong nanos = new AtomicLong();

  private static String sha256(String secret) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String HERE = "10.0.0.1";

  private Publishers publishers(String spec, double perSecond) {
    return new Publishers(Credentials.parse(spec), perSecond, nanos::get, admission(nanos::get));
  }

  /** The throttle with its defaults; no socket connects to it, so it needs no scheduler. */
  static Admission admission(LongSupplier nanoTime) {
    return new Admission(
        Admission.Limits.of(100, Duration.ofSeconds(10), Duration.ofSeconds(1)), null, nanoTime);
  }

  private static Optional<PublisherAuth> auth(String key, String secret) {
    return Optional.of(new PublisherAuth(key, secret));
  }

  @Test
  void plainAndHashedSecretsAuthenticate() throws Exception {
    Publishers publishers =
        publishers("strat:s3cret:signals,exec:sha256:" + sha256("exec-secret") + ":executions", 10);
    assertEquals("strat", publishers.authenticate(auth("strat", "s3cret"), HERE).key());
    assertEquals("exec", publishers.authenticate(auth("exec", "exec-secret"), HERE).key());
    for (Optional<PublisherAuth> wrong : java.util.List.of(
        auth("strat", "S3cret"), auth("exec", "sha256:" + sha256("exec-secret")),
        auth("nobody", "s3cret"), Optional.<PublisherAuth>empty())) {
      PublishRefused refusal =
          assertThrows(PublishRefused.class, () -> publishers.authenticate(wrong, HERE));
      assertEquals(401, refusal.status());
      assertFalse(refusal.getMessage().contains("s3cret"), refusal.getMessage());
    }
  }

  @Test
  void nobodyMayPublishWithoutConfiguration() {
    Publishers publishers = publishers("", 10);
    assertEquals(401,
        assertThrows(PublishRefused.class,
            () -> publishers.authenticate(auth("demo-publisher", "demo"), HERE))
            .status());
  }

  @Test
  void channelsAreTheCredentialsListOrAny() throws Exception {
    Publishers publishers = publishers("strat:s:signals+portfolio.updates,ops:o:*", 10);
    Credential strat = publishers.authenticate(auth("strat", "s"), HERE);
    Publishers.checkAllowed(strat, "signals");
    Publishers.checkAllowed(strat, "portfolio.updates");
    PublishRefused refusal =
        assertThrows(PublishRefused.class, () -> Publishers.checkAllowed(strat, "executions"));
    assertEquals(403, refusal.status());
    Publishers.checkAllowed(publishers.authenticate(auth("ops", "o"), HERE), "executions");
  }

  @Test
  void aMalformedPublisherListNamesTheEntryNotTheSecret() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Credentials.parse("strat:s3cret:signals,broken-s3cret"));
    assertTrue(error.getMessage().contains("entry 2"), error.getMessage());
    assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
  }

  @Test
  void eachPublisherHasItsOwnRate() throws Exception {
    Publishers publishers = publishers("a:a:*,b:b:*", 2);
    Credential a = publishers.authenticate(auth("a", "a"), HERE);
    Credential b = publishers.authenticate(auth("b", "b"), HERE);
    publishers.admit(a, 2);
    PublishRefused refusal = assertThrows(PublishRefused.class, () -> publishers.admit(a, 1));
    assertEquals(429, refusal.status());
    assertEquals(Optional.of(Duration.ofMillis(500)), refusal.retryAfter());
    publishers.admit(b, 2);
    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    publishers.admit(a, 1);
  }

  @Test
  void aBatchBeyondTheBurstIs413NotAnEndless429() throws Exception {
    Publishers publishers = publishers("a:a:*", 5);
    Credential a = publishers.authenticate(auth("a", "a"), HERE);
    PublishRefused refusal = assertThrows(PublishRefused.class, () -> publishers.admit(a, 6));
    assertEquals(413, refusal.status());
    publishers.admit(a, 5);
  }

  @Test
  void credentialsFromAlpacaHeadersOrBasic() {
    Map<String, String> apca = Map.of("APCA-API-KEY-ID", "strat", "APCA-API-SECRET-KEY", "s:3");
    assertEquals(new PublisherAuth("strat", "s:3"), PublisherAuth.from(apca::get).orElseThrow());
    String basic = "Basic " + Base64.getEncoder()
        .encodeToString("strat:p\u00e4ss:word".getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers = Map.of("Authorization", basic);
    assertEquals(new PublisherAuth("strat", "p\u00e4ss:word"),
        PublisherAuth.from(headers::get).orElseThrow());
    assertEquals(Optional.empty(), PublisherAuth.from(Map.of("Authorization", "Basic %%%")::get));
    assertEquals(Optional.empty(), PublisherAuth.from(Map.of("Authorization", "Bearer x:y")::get));
    String noColon = "Basic " + Base64.getEncoder().encodeToString("strat".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), PublisherAuth.from(Map.of("Authorization", noColon)::get));
    assertEquals(Optional.empty(), PublisherAuth.from(Map.<String, String>of()::get));
  }

  @Test
  void theSecretIsNotInToString() {
    assertFalse(new PublisherAuth("strat", "s3cret").toString().contains("s3cret"));
  }

  @Test
  void guessingIsThrottledPerKeyAndAddressWithoutCheckingTheSecret() throws Exception {
    Admission admission = admission(nanos::get);
    Publishers publishers = new Publishers(
        Credentials.parse("strat:s3cret:signals"), 10, nanos::get, admission);
    for (int i = 0; i < 10; i++) {
      assertEquals(401, assertThrows(PublishRefused.class,
          () -> publishers.authenticate(auth("strat", "guess"), HERE)).status());
    }
    PublishRefused throttled = assertThrows(PublishRefused.class,
        () -> publishers.authenticate(auth("strat", "s3cret"), HERE));
    assertEquals(429, throttled.status());
    assertEquals("too many failed authentications", throttled.getMessage());
    assertEquals(Duration.ofMinutes(1), throttled.retryAfter().orElseThrow());
    assertEquals("strat", publishers.authenticate(auth("strat", "s3cret"), "10.0.0.2").key(),
        "the key's owner from another address");
    assertEquals(10, admission.refusals().get(Refusal.AUTH_FAILED));
    assertEquals(1, admission.refusals().get(Refusal.AUTH_THROTTLED));
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    assertEquals("strat", publishers.authenticate(auth("strat", "s3cret"), HERE).key());
  }
}
