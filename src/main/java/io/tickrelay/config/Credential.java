package io.tickrelay.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * One key/secret pair and the feeds it may use. The secret is kept only as its SHA-256 digest and
 * compared in constant time; it never appears in {@link #toString()}.
 */
public final class Credential {

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

  public boolean allowsFeed(String feed) {
    return feeds.contains(ALL_FEEDS) || feeds.contains(feed);
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
