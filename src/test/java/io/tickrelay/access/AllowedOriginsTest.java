package io.tickrelay.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Review L1: browser origins for client WebSockets, the gateway's own always, no Origin allowed. */
class AllowedOriginsTest {

  private final AllowedOrigins none = AllowedOrigins.parse("");
  private final AllowedOrigins listed = AllowedOrigins.parse(" https://App.example/ ,http://localhost:3000");

  @Test
  void noOriginIsAnSdkOrABot() {
    assertTrue(none.allows(null, "gw:9080"));
  }

  @Test
  void theGatewaysOwnOriginIsAlwaysAllowed() {
    assertTrue(none.allows("http://gw:9080", "gw:9080"));
    assertTrue(none.allows("https://gw.example", "gw.example"), "TLS proxy in front, default port");
    assertFalse(none.allows("http://gw:8080", "gw:9080"), "another port is another origin");
    assertFalse(none.allows("http://gw", "gw:9080"));
  }

  @Test
  void aForeignOriginOnlyWhenListed() {
    assertFalse(none.allows("https://evil.example", "gw:9080"));
    assertFalse(none.allows("null", "gw:9080"));
    assertTrue(listed.allows("https://app.example", "gw:9080"));
    assertTrue(listed.allows("http://localhost:3000", "gw:9080"));
    assertFalse(listed.allows("https://app.example.evil.example", "gw:9080"));
    assertTrue(AllowedOrigins.parse("*").allows("https://evil.example", "gw:9080"));
  }
}
