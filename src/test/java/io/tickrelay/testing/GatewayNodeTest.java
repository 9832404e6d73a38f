package io.tickrelay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which parts of a node's environment {@link GatewayNode} masks in the logs it prints. */
class GatewayNodeTest {

  @Test
  void secretsAreTheSecretSettingsAndEachCredentialsSecretFieldLongestFirst() {
    Map<String, String> secrets = GatewayNode.secretsOf(Map.of(
        "APCA_API_KEY_ID", "fake-key",
        "APCA_API_SECRET_KEY", "fake-secret",
        "TICKRELAY_CLIENTS", "desk:s3cret:*+wildcard, bot:sha256:abcdef0123:iex",
        "TICKRELAY_PUBLISHERS", "pub:Pub-Secret-1:*",
        "TICKRELAY_CLUSTER_REDIS_URL", "redis://:pw@redis:6379",
        "TICKRELAY_ALPACA_FEEDS", "sip,iex"));

    assertEquals(List.of("redis://:pw@redis:6379", "Pub-Secret-1", "fake-secret", "abcdef0123", "s3cret"),
        List.copyOf(secrets.keySet()));
    assertEquals("TICKRELAY_CLIENTS", secrets.get("abcdef0123"));
    assertEquals("APCA_API_SECRET_KEY", secrets.get("fake-secret"));
  }
}
