package io.tickrelay.trading;

import io.tickrelay.config.Credential;
import io.tickrelay.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The trading-stream simulator served by the gateway itself at {@code /simulator/trading/stream}
 * whenever the embedded simulator is enabled; it plays the gateway's own account, so it accepts the
 * upstream key and secret the gateway is configured with.
 */
@ApplicationScoped
public class EmbeddedTradingSimulator {

  private static final Logger LOG = Logger.getLogger(EmbeddedTradingSimulator.class.getName());

  @Inject GatewayConfig config;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private volatile TradingSimulator simulator;

  void start(@Observes Startup startup) {
    if (!config.simulatorEnabled()) {
      return;
    }
    Credential account = Credential.withPlainSecret(
        config.upstreamKeyId(), config.upstreamSecret(), Set.of(TradingHubSettings.ENTITLEMENT));
    TradingSimulator started = new TradingSimulator(account, config.simulatorTradeUpdatesInterval(),
        scheduler, Clock.systemUTC(), System.nanoTime());
    started.start();
    simulator = started;
    LOG.info("Embedded trading-stream simulator serving " + config.simulatorUrl()
        + "/trading/stream, one order event every " + config.simulatorTradeUpdatesInterval());
  }

  /** The running simulator, absent when disabled or not started yet. */
  Optional<TradingSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  @PreDestroy
  void stop() {
    TradingSimulator running = simulator;
    if (running != null) {
      running.stop();
    }
  }
}
