package io.tickrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Simulator mode and its demo credentials only when asked for or when nothing at all is configured
 * (review M11: an empty Kubernetes secret used to turn {@code demo:demo} on in production).
 */
class GatewayModeTest {

  /** A config as MicroProfile Config would inject it (empty values read as unset). */
  private static GatewayConfig config(String mode, String keyId, String clients, Set<String> env) {
    GatewayConfig config = new GatewayConfig();
    config.mode = Optional.ofNullable(mode);
    config.apiKeyId = Optional.ofNullable(keyId);
    config.apiSecretKey = Optional.ofNullable(keyId == null ? null : "secret");
    config.clients = Optional.ofNullable(clients);
    config.publishers = Optional.empty();
    config.binanceStreamUrl = Optional.empty();
    config.binanceEnabled = Optional.empty();
    config.simulatorKey = "simulator";
    config.simulatorSecret = "simulator";
    config.environment = env::contains;
    return config;
  }

  private static GatewayMode decide(String mode, List<String> configured, Set<String> env) {
    return GatewayMode.decide(new GatewayMode.Inputs(Optional.ofNullable(mode), configured, env::contains));
  }

  @Test
  void nothingConfiguredRunsTheSimulator() {
    GatewayMode mode = decide(null, List.of(), Set.of());
    assertTrue(mode.simulator());
    assertTrue(mode.reason().contains("no upstream, client or publisher credential"), mode.reason());
  }

  @Test
  void anyCredentialOfAnyProviderOrClientMeansLive() {
    for (String setting : List.of("APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "TICKRELAY_CLIENTS",
        "TICKRELAY_PUBLISHERS", "TICKRELAY_BINANCE_STREAM_URL", "TICKRELAY_BINANCE_ENABLED")) {
      GatewayMode mode = decide(null, List.of(setting), Set.of());
      assertFalse(mode.simulator(), setting);
      assertTrue(mode.reason().contains(setting), mode.reason());
    }
  }

  @Test
  void anEmptyButPresentVariableMeansLive() {
    GatewayMode mode = decide(null, List.of(), Set.of("APCA_API_KEY_ID"));
    assertFalse(mode.simulator());
    assertEquals("configured: APCA_API_KEY_ID (empty)", mode.reason());
  }

  @Test
  void anExplicitModeWins() {
    assertTrue(decide("simulator", List.of("APCA_API_KEY_ID", "TICKRELAY_CLIENTS"), Set.of()).simulator());
    assertTrue(decide(" Simulator ", List.of(), Set.of()).simulator());
    assertFalse(decide("live", List.of(), Set.of()).simulator());
    assertFalse(decide("demo", List.of(), Set.of()).simulator(), "an unknown mode fails closed");
  }

  @Test
  void simulatorModeHasTheDemoCredentials() {
    GatewayConfig config = config(null, null, null, Set.of());
    assertTrue(config.simulatorMode());
    assertTrue(config.clientCredentials().authenticate("demo", "demo").isPresent());
    assertTrue(config.publisherCredentials().authenticate("demo-publisher", "demo").isPresent());
    assertFalse(config.alpacaKeyMissing());
  }

  @Test
  void emptyKeyWithClientsIsLiveWithAMissingKeyAndNoDemoCredentials() {
    // APCA_API_KEY_ID="" reads as unset; TICKRELAY_CLIENTS is set
    GatewayConfig config = config(null, null, "prod:prod-secret:iex", Set.of("APCA_API_KEY_ID", "TICKRELAY_CLIENTS"));
    assertFalse(config.simulatorMode());
    assertTrue(config.alpacaKeyMissing());
    assertTrue(config.clientCredentials().authenticate("demo", "demo").isEmpty());
    assertTrue(config.clientCredentials().authenticate("prod", "prod-secret").isPresent());
    assertTrue(config.publisherCredentials().authenticate("demo-publisher", "demo").isEmpty());
    assertEquals("", config.upstreamKeyId(), "never the simulator's key against a real upstream");
    assertTrue(ModeAnnouncement.message(config).contains("NO Alpaca upstream"));
  }

  @Test
  void anEmptySecretAloneStillKeepsTheDemoCredentialsOff() {
    GatewayConfig config = config(null, null, null, Set.of("APCA_API_KEY_ID", "APCA_API_SECRET_KEY"));
    assertFalse(config.simulatorMode());
    assertTrue(config.clientCredentials().authenticate("demo", "demo").isEmpty());
    assertEquals(java.util.logging.Level.SEVERE, ModeAnnouncement.level(config));
  }

  @Test
  void liveModeWithAKeyIsAnnouncedWithoutTheSecret() {
    GatewayConfig config = config(null, "AKREALKEY", "prod:prod-secret:iex", Set.of());
    assertFalse(config.simulatorMode());
    assertFalse(config.alpacaKeyMissing());
    String message = ModeAnnouncement.message(config);
    assertTrue(message.startsWith("LIVE MODE"), message);
    assertFalse(message.contains("secret"), message);
  }
}
