package io.tickrelay.config;

import java.util.HexFormat;
import java.util.Set;

/**
 * One key/secret pair and its grants (README "Credentials and grants"). The secret is kept only as
 * a keyed digest ({@link SecretDigests}) and compared in constant time; it never appears in
 * {@link #toString()}.
 */
public final class Credential {

  /**
   * In a client credential: every market-data grant (every stock feed and crypto location), never
   * {@code trade_updates}, {@code channels} or {@code wildcard}, which are always named. In a
   * publisher credential: every channel.
   */
  public static final String ALL_FEEDS = "*";

  private final String key;
  private final byte[] heldSecret;
  private final Set<String> feeds;

  /** A credential whose secret is given as its SHA-256 digest ({@code sha256:HEX}). */
  Credential(String key, byte[] secretSha256, Set<String> feeds) {
    this.key = key;
    this.heldSecret = SecretDigests.ofSha256(secretSha256);
    this.feeds = Set.copyOf(feeds);
  }

  public static Credential withPlainSecret(String key, String secret, Set<String> feeds) {
    return new Credential(key, SecretDigests.sha256(secret), feeds);
  }

  public String key() {
    return key;
  }

  public boolean secretMatches(String secret) {
    return SecretDigests.matches(heldSecret, secret);
  }

  /** The grant is named, or {@code *} stands for it: market data, or a publisher's channel. */
  public boolean allowsFeed(String feed) {
    return feeds.contains(ALL_FEEDS) || feeds.contains(feed);
  }

  /** The grant is listed by name; {@code *} does not stand for it. */
  public boolean names(String grant) {
    return feeds.contains(grant);
  }

  public Set<String> feeds() {
    return feeds;
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public String toString() {
    return "Credential[key=" + key + ", feeds=" + feeds + "]";
  }
}
