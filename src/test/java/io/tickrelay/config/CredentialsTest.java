package io.tickrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Credential lists as configured: {@code key:secret:feed+feed} or {@code key:sha256:HEX:feeds}. */
class CredentialsTest {

  private static final String SECRET = "Zq9-not-a-real-secret";
  private static final String HEX_66 =
      "ababababababababababababababababababababababababababababababababab";

  private static String sha256Hex(String secret) throws NoSuchAlgorithmException {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }

  @Test
  void plainEntryAuthenticatesItsKeyAndSecretOnly() {
    Credentials credentials = Credentials.parse("PKALPHA:" + SECRET + ":iex+sip");
    assertEquals(1, credentials.size());
    Credential credential = credentials.authenticate("PKALPHA", SECRET).orElseThrow();
    assertEquals("PKALPHA", credential.key());
    assertEquals(Set.of("iex", "sip"), credential.feeds());
    assertTrue(credentials.authenticate("PKALPHA", SECRET + "x").isEmpty());
    assertTrue(credentials.authenticate("PKALPHA", "").isEmpty());
    assertTrue(credentials.authenticate("PKBETA", SECRET).isEmpty());
  }

  @Test
  void feedsAreAllowedByNameOrWildcard() {
    Credentials credentials = Credentials.parse("A:a:iex+sip, B:b:*");
    Credential a = credentials.authenticate("A", "a").orElseThrow();
    assertTrue(a.allowsFeed("iex"));
    assertTrue(a.allowsFeed("sip"));
    assertFalse(a.allowsFeed("test"));
    assertFalse(a.allowsFeed("*"));
    Credential b = credentials.authenticate("B", "b").orElseThrow();
    assertTrue(b.allowsFeed("iex"));
    assertTrue(b.allowsFeed("delayed_sip"));
    assertEquals(2, credentials.size());
  }

  @Test
  void grantsThatMustBeNamedAreNotCoveredByStar() {
    Credentials credentials = Credentials.parse("B:b:*,T:t:*+trade_updates+wildcard");
    Credential star = credentials.authenticate("B", "b").orElseThrow();
    assertTrue(star.allowsFeed("trade_updates"), "allowsFeed is the publisher/market-data reading");
    assertFalse(star.names("trade_updates"));
    assertFalse(star.names("wildcard"));
    Credential named = credentials.authenticate("T", "t").orElseThrow();
    assertTrue(named.names("trade_updates"));
    assertTrue(named.names("wildcard"));
    assertFalse(named.names("channels"));
  }

  @Test
  void hashedSecretAuthenticatesWithThePlainSecret() throws NoSuchAlgorithmException {
    String hex = sha256Hex(SECRET);
    Credentials lower = Credentials.parse("PKHASH:sha256:" + hex + ":iex");
    assertTrue(lower.authenticate("PKHASH", SECRET).isPresent());
    assertTrue(lower.authenticate("PKHASH", hex).isEmpty());
    assertTrue(lower.authenticate("PKHASH", "sha256:" + hex).isEmpty());
    Credentials upper =
        Credentials.parse("PKHASH:sha256:" + hex.toUpperCase(Locale.ROOT) + ":test");
    assertTrue(upper.authenticate("PKHASH", SECRET).orElseThrow().allowsFeed("test"));
  }

  @Test
  void emptyEntriesAndSurroundingSpacesAreIgnored() {
    Credentials credentials = Credentials.parse(" ,A:a:iex ,, B:b:sip, ");
    assertEquals(2, credentials.size());
    assertTrue(credentials.authenticate("B", "b").isPresent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PK:" + SECRET, // no feeds
        "PK:" + SECRET + ":", // empty feed list
        "PK:" + SECRET + ":+", // only separators
        ":" + SECRET + ":iex", // no key
        "  :" + SECRET + ":iex",
        "PK:" + SECRET + ":more:iex", // a colon in a plain secret
        "PK:" + SECRET + ":a:b:iex",
        "PK:sha256:" + SECRET + ":iex", // not hex
        "PK:sha256:abcdef:iex", // hex, too short
        "PK:sha256:" + HEX_66 + ":iex", // hex, too long
      })
  void malformedEntriesAreRejectedWithoutNamingTheSecret(String entry) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Credentials.parse("OK:fine:iex," + entry));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertFalse(e.getMessage().contains("abcdef"), e.getMessage());
    assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
  }

  @Test
  void duplicateKeysAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Credentials.parse("PK:" + SECRET + ":iex,PK:other:sip"));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
  }

  @Test
  void credentialToStringHasNoSecret() throws NoSuchAlgorithmException {
    Credential credential = Credential.withPlainSecret("PKALPHA", SECRET, Set.of("iex"));
    assertFalse(credential.toString().contains(SECRET), credential.toString());
    assertFalse(credential.toString().contains(sha256Hex(SECRET)), credential.toString());
    assertTrue(credential.toString().contains("PKALPHA"), credential.toString());
    assertTrue(credential.secretMatches(SECRET));
  }

  /**
   * An unknown key is answered after the same work as a known key with a wrong secret: its secret
   * is hashed and compared too (reliability review L9), and still refused.
   */
  @Test
  void anUnknownKeyIsComparedAsAKnownOneIs() {
    Credentials credentials = Credentials.parse("PKALPHA:" + SECRET + ":iex");
    assertTrue(credentials.authenticate("PKALPHA", "wrong").isEmpty());
    assertEquals(1, credentials.comparisons.sum());
    assertTrue(credentials.authenticate("PKNOBODY", "wrong").isEmpty());
    assertTrue(credentials.authenticate("", "").isEmpty());
    assertEquals(3, credentials.comparisons.sum(), "the unknown keys were compared as well");
    assertEquals("PKALPHA", credentials.authenticate("PKALPHA", SECRET).orElseThrow().key());
  }

  /** Secrets are held keyed per process, not as the bare SHA-256 a configuration may show. */
  @Test
  void secretsAreHeldAsAKeyedDigestThatStillMatchesBothForms() throws Exception {
    byte[] sha256 = HexFormat.of().parseHex(sha256Hex(SECRET));
    byte[] held = SecretDigests.ofSha256(sha256);
    assertFalse(MessageDigest.isEqual(sha256, held));
    assertTrue(SecretDigests.matches(held, SECRET));
    assertFalse(SecretDigests.matches(held, SECRET + " "));
    Credentials credentials =
        Credentials.parse("plain:" + SECRET + ":iex,hashed:sha256:" + sha256Hex(SECRET) + ":iex");
    assertTrue(credentials.authenticate("plain", SECRET).isPresent());
    assertTrue(credentials.authenticate("hashed", SECRET).isPresent());
  }
}
