package io.tickrelay.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How secrets are held in memory: as HMAC-SHA256, under a key drawn at random per process, of
 * their SHA-256 digest (the form {@code sha256:HEX} configures). A heap dump then shows digests
 * that match no precomputed table and differ between two keys with the same secret, and a check
 * costs the same work whether or not the key exists (reliability review L9).
 */
final class SecretDigests {

  private static final String HMAC = "HmacSHA256";
  /** Drawn once per process and never changed or shown. */
  private static final SecretKeySpec PROCESS_KEY = new SecretKeySpec(randomBytes(), HMAC);

  private SecretDigests() {}

  /** The held form of a secret given in plain text. */
  static byte[] ofPlain(String secret) {
    return ofSha256(sha256(secret));
  }

  /** The held form of a secret given as its SHA-256 digest. */
  static byte[] ofSha256(byte[] sha256) {
    try {
      Mac mac = Mac.getInstance(HMAC); // not thread-safe: one per check, at the rate of auths
      mac.init(PROCESS_KEY);
      return mac.doFinal(sha256);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }

  /** Whether {@code secret} is the one held as {@code held}, compared in constant time. */
  static boolean matches(byte[] held, String secret) {
    return MessageDigest.isEqual(held, ofPlain(secret));
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] randomBytes() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
