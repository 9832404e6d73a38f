package io.tickrelay.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * One key/secret pair and its grants (README "Credentials and grants"). The secret is kept only as
 * its SHA-256 digest and compared in constant time; it never appears in {@link #toString()}.
 */
public final class Credential {

  /**
   * In a client credential: every market-data grant (every stock feed and crypto location), never
   * {@code trade_updates}, {@code channels} or {@code wildcard}, which are always named. In a
   * publisher credential: every channel.
   */
  public static final String ALL_FEEDS = "*";

  private final String key;
  private final byte[] secretSha256;
  private final Set<String> feeds;

  Credential(String key, byte[] secretSha256, Set<String> feeds) {
    this.key = key;
    this.secretSha256 = secretSha256.clone();
    this.feeds = Set.copyOf(feeds);
  }

  public static Credential withPlainSecret(String key, String secret, Set<String> feeds) {
    return new Credential(key, sha256(secret), feeds);
  }

  public String key() {
    return key;
  }

  public boolean secretMatches(String secret) {
    return MessageDigest.isEqual(secretSha256, sha256(secret));
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

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public String toString() {
    return "Credential[key=" + key + ", feeds=" + feeds + "]";
  }
}
