package io.tickrelay.simulator;

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
import java.util.logging.Logger;

/** The simulator served by the gateway itself under {@code /simulator}, when enabled. */
@ApplicationScoped
public class EmbeddedSimulator {

  private static final Logger LOG = Logger.getLogger(EmbeddedSimulator.class.getName());

  @Inject GatewayConfig config;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private volatile AlpacaSimulator simulator;

  void start(@Observes Startup startup) {
    if (!config.simulatorEnabled()) {
      LOG.info("Embedded simulator disabled");
      return;
    }
    SimulatorSettings settings =
        new SimulatorSettings(
            config.simulatorAccount(),
            SimulatorSettings.ALPACA_FEEDS,
            config.simulatorConnectionsPerKey(),
            config.upstreamAuthTimeout(),
            config.simulatorTradesPerSecond(),
            config.simulatorBarInterval());
    AlpacaSimulator started = new AlpacaSimulator(settings, scheduler, Clock.systemUTC(), System.nanoTime());
    started.start();
    simulator = started;
    LOG.info(
        "Embedded Alpaca simulator serving " + config.simulatorUrl() + "/v2/{sip,iex,delayed_sip,test} and /v1beta3/crypto/{us,us-1,eu-1} at "
            + config.simulatorTradesPerSecond() + " trades/s per symbol");
  }

  /** The running simulator, absent when it is disabled or not started yet. */
  Optional<AlpacaSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  @PreDestroy
  void stop() {
    AlpacaSimulator running = simulator;
    if (running != null) {
      running.stop();
    }
  }
}
