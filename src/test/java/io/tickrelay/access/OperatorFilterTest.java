package io.tickrelay.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.config.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Review L2: the operator credential, as HTTP Basic or APCA headers, plain or sha256. */
class OperatorFilterTest {

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicOrApcaHeadersWithTheRightSecret() {
    Credentials plain = Credentials.parse("ops:Op-Secret-1:operator");
    assertTrue(OperatorFilter.admits(plain, basic("ops:Op-Secret-1"), null, null));
    assertTrue(OperatorFilter.admits(plain, null, "ops", "Op-Secret-1"));
    assertFalse(OperatorFilter.admits(plain, basic("ops:guess"), null, null));
    assertFalse(OperatorFilter.admits(plain, null, "ops", "guess"));
    assertFalse(OperatorFilter.admits(plain, null, null, null));
    assertFalse(OperatorFilter.admits(plain, "Basic !!!", null, null));
    assertFalse(OperatorFilter.admits(plain, "Bearer x", null, null));
  }

  @Test
  void aSha256Secret() {
    // printf %s 'Op-Secret-1' | sha256sum
    String hex = sha256("Op-Secret-1");
    Credentials hashed = Credentials.parse("ops:sha256:" + hex + ":operator");
    assertTrue(OperatorFilter.admits(hashed, basic("ops:Op-Secret-1"), null, null));
    assertFalse(OperatorFilter.admits(hashed, basic("ops:" + hex), null, null));
  }

  private static String sha256(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
