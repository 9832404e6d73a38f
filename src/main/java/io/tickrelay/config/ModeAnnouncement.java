package io.tickrelay.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Says at start, loudly, which mode runs and why: an operator must never guess it from prices. */
@ApplicationScoped
public class ModeAnnouncement {

  private static final Logger LOG = Logger.getLogger(ModeAnnouncement.class.getName());

  @Inject GatewayConfig config;

  void started(@Observes Startup startup) {
    LOG.log(level(config), message(config));
  }

  static Level level(GatewayConfig config) {
    if (config.alpacaKeyMissing() && !config.binanceEnabled()) {
      return Level.SEVERE;
    }
    return config.simulatorMode() ? Level.WARNING : Level.INFO;
  }

  static String message(GatewayConfig config) {
    GatewayMode mode = config.mode();
    if (mode.simulator()) {
      return "*** SIMULATOR MODE *** (" + mode.reason() + "): simulated prices, demo credentials"
          + " demo:demo and demo-publisher:demo are enabled. Set TICKRELAY_MODE=live or configure"
          + " credentials for production.";
    }
    String base = "LIVE MODE (" + mode.reason() + "): no demo credentials";
    if (config.alpacaKeyMissing()) {
      return base + "; APCA_API_KEY_ID is not set (or empty), so there is NO Alpaca upstream:"
          + " /v2/* and /v1beta3/crypto/* (Alpaca) and /stream deliver nothing and readiness of"
          + " their streams is DOWN";
    }
    return base;
  }
}
