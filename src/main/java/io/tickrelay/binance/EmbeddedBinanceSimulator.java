package io.tickrelay.binance;

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

/** The Binance simulator served by the gateway itself under {@code /simulator/binance}, when enabled. */
@ApplicationScoped
public class EmbeddedBinanceSimulator {

  private static final Logger LOG = Logger.getLogger(EmbeddedBinanceSimulator.class.getName());

  @Inject GatewayConfig config;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private volatile BinanceSimulator simulator;

  void start(@Observes Startup startup) {
    if (!config.simulatorEnabled()) {
      return;
    }
    BinanceSimulatorSettings settings = BinanceSimulatorSettings
        .realistic(BinanceSimulatorSettings.DEFAULT_LISTED, config.simulatorTradesPerSecond())
        .withBars(config.simulatorBarInterval(), java.time.Duration.ofSeconds(2))
        .withPing(config.simulatorBinancePingInterval(), config.simulatorBinancePongTimeout())
        .withMaxConnectionAge(config.simulatorBinanceMaxConnectionAge());
    BinanceSimulator started = new BinanceSimulator(settings, scheduler, Clock.systemUTC(), System.nanoTime());
    started.start();
    simulator = started;
    LOG.info("Embedded Binance simulator serving " + config.simulatorUrl() + "/binance/stream, connections closed after "
        + config.simulatorBinanceMaxConnectionAge());
  }

  /** The running simulator, absent when it is disabled or not started yet. */
  Optional<BinanceSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  @PreDestroy
  void stop() {
    BinanceSimulator running = simulator;
    if (running != null) {
      running.stop();
    }
  }
}
