package io.tickrelay.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What one upstream connection needs to know; {@link #toString()} leaves the secret out. {@code
 * keyId} and {@code secret} are the credentials at start; {@code credentials} gives the current
 * ones at each authentication. A zero
 * {@code silenceWindow} turns data-silence detection off; {@code silenceCheck} says when it applies.
 */
public record UpstreamSettings(
    String name,
    URI baseUrl,
    List<String> feeds,
    String keyId,
    String secret,
    Duration authTimeout,
    Backoff backoff,
    Duration connectionLimitWait,
    Duration throttledFloor,
    Duration pingInterval,
    Duration pongTimeout,
    Duration silenceWindow,
    SilenceCheck silenceCheck,
    Duration reprobeInterval,
    int escalateAfter,
    CredentialSource credentials,
    QuickReconnect quickReconnect) {

  /**
   * The first reconnect after a session that was live for at least {@code healthyAfter} goes after
   * a random delay of at most {@code jitter} instead of the initial backoff (a healthy upstream that
   * dropped once is most likely back at once; the jitter keeps many gateways out of lockstep); the
   * failures after it back off as usual.
   */
  public record QuickReconnect(Duration healthyAfter, Duration jitter) {
    public static final QuickReconnect DEFAULT = new QuickReconnect(Duration.ofSeconds(30), Duration.ofMillis(100));
  }

  /** Settings with the default quick reconnect. */
  public UpstreamSettings(
      String name, URI baseUrl, List<String> feeds, String keyId, String secret,
      Duration authTimeout, Backoff backoff, Duration connectionLimitWait, Duration throttledFloor,
      Duration pingInterval, Duration pongTimeout, Duration silenceWindow, SilenceCheck silenceCheck,
      Duration reprobeInterval, int escalateAfter, CredentialSource credentials) {
    this(name, baseUrl, feeds, keyId, secret, authTimeout, backoff, connectionLimitWait,
        throttledFloor, pingInterval, pongTimeout, silenceWindow, silenceCheck, reprobeInterval,
        escalateAfter, credentials, QuickReconnect.DEFAULT);
  }

  /**
   * Where each connection attempt takes its key and secret from. Read afresh before every
   * authentication, so a secret rotated in configuration (a Kubernetes secret mounted as a
   * MicroProfile Config source, say) is picked up at the next reconnect without a restart.
   */
  @FunctionalInterface
  public interface CredentialSource {
    /** The key id and secret to authenticate with now. */
    Credentials current();
  }

  /** A key id and its secret; {@link #toString()} leaves the secret out. */
  public record Credentials(String keyId, String secret) {
    @Override
    public String toString() {
      return "Credentials[keyId=" + keyId + ", secret=<redacted>]";
    }
  }

  /** Settings whose credentials never change. */
  public UpstreamSettings(
      String name, URI baseUrl, List<String> feeds, String keyId, String secret,
      Duration authTimeout, Backoff backoff, Duration connectionLimitWait, Duration throttledFloor,
      Duration pingInterval, Duration pongTimeout, Duration silenceWindow, SilenceCheck silenceCheck,
      Duration reprobeInterval, int escalateAfter) {
    this(name, baseUrl, feeds, keyId, secret, authTimeout, backoff, connectionLimitWait,
        throttledFloor, pingInterval, pongTimeout, silenceWindow, silenceCheck, reprobeInterval,
        escalateAfter, () -> new Credentials(keyId, secret));
  }

  /** The same settings, with credentials read from {@code source} at every authentication. */
  public UpstreamSettings withCredentialSource(CredentialSource source) {
    return new UpstreamSettings(name, baseUrl, feeds, keyId, secret, authTimeout, backoff,
        connectionLimitWait, throttledFloor, pingInterval, pongTimeout, silenceWindow, silenceCheck,
        reprobeInterval, escalateAfter, source, quickReconnect);
  }

  /** The same settings with another quick reconnect rule. */
  public UpstreamSettings withQuickReconnect(QuickReconnect quick) {
    return new UpstreamSettings(name, baseUrl, feeds, keyId, secret, authTimeout, backoff,
        connectionLimitWait, throttledFloor, pingInterval, pongTimeout, silenceWindow, silenceCheck,
        reprobeInterval, escalateAfter, credentials, quick);
  }

  /**
   * These timings for another upstream: its name (logs, status), base URL, feed chain and start
   * credentials; the credential source is reset to the fixed pair until {@link
   * #withCredentialSource} sets one.
   */
  public UpstreamSettings forUpstream(
      String upstreamName, URI upstreamBaseUrl, List<String> upstreamFeeds, String upstreamKeyId,
      String upstreamSecret) {
    String fixedKey = upstreamKeyId;
    String fixedSecret = upstreamSecret;
    return new UpstreamSettings(upstreamName, upstreamBaseUrl, upstreamFeeds, upstreamKeyId,
        upstreamSecret, authTimeout, backoff, connectionLimitWait, throttledFloor, pingInterval,
        pongTimeout, silenceWindow, silenceCheck, reprobeInterval, escalateAfter,
        () -> new Credentials(fixedKey, fixedSecret), quickReconnect);
  }

  /** The same settings with another silence rule (crypto trades around the clock, say). */
  public UpstreamSettings withSilenceCheck(SilenceCheck check) {
    return new UpstreamSettings(name, baseUrl, feeds, keyId, secret, authTimeout, backoff,
        connectionLimitWait, throttledFloor, pingInterval, pongTimeout, silenceWindow, check,
        reprobeInterval, escalateAfter, credentials, quickReconnect);
  }

  /**
   * The settings of a stream's {@code slot}-th connection (0-based) when demand needs more than
   * one: the name gets {@code #2}, {@code #3}...; the first keeps its name.
   */
  public UpstreamSettings forSlot(int slot) {
    return slot == 0 ? this : new UpstreamSettings(name + "#" + (slot + 1), baseUrl, feeds, keyId,
        secret, authTimeout, backoff, connectionLimitWait, throttledFloor, pingInterval, pongTimeout,
        silenceWindow, silenceCheck, reprobeInterval, escalateAfter, credentials, quickReconnect);
  }

  /** When a quiet connection counts as stalled. */
  public enum SilenceCheck {
    ALWAYS,
    /** US equities only trade on weekdays, 04:00-20:00 New York time (extended hours). */
    MARKET_HOURS,
    OFF
  }

  public UpstreamSettings {
    feeds = List.copyOf(feeds);
    if (credentials == null) {
      String fixedKey = keyId;
      String fixedSecret = secret;
      credentials = () -> new Credentials(fixedKey, fixedSecret);
    }
    if (quickReconnect == null) {
      quickReconnect = QuickReconnect.DEFAULT;
    }
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("at least one feed is needed");
    }
  }

  /** Settings with the documented defaults for everything but the essentials (used by tests). */
  public static UpstreamSettings defaults(
      String name, URI baseUrl, List<String> feeds, String keyId, String secret) {
    return new UpstreamSettings(name, baseUrl, feeds, keyId, secret, Duration.ofSeconds(10),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), Duration.ofSeconds(30),
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO,
        SilenceCheck.OFF, Duration.ofMinutes(15), 3);
  }

  @Override
  public String toString() {
    return "UpstreamSettings[name=" + name + ", baseUrl=" + baseUrl + ", feeds=" + feeds + "]";
  }
}
