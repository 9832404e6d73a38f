package io.tickrelay.upstream;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.MarketDataReceived;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * The gateway's upstream connections (for now the one Alpaca stock stream), started on CDI
 * {@link Startup} without blocking it and stopped before the application goes away.
 */
@ApplicationScoped
public class UpstreamConnections {

  private static final Logger LOG = Logger.getLogger(UpstreamConnections.class.getName());

  @Inject GatewayConfig config;
  @Inject TyrusTransport transport;
  @Inject Event<MarketDataReceived> marketData;
  @Inject Event<UpstreamStateChanged> stateChanges;
  @Inject Event<FeedSelected> feedSelections;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private volatile UpstreamConnection stocks;

  void start(@Observes Startup startup) {
    if (config.simulatorMode()) {
      LOG.warning(
          "APCA_API_KEY_ID is not set: the upstream is the EMBEDDED SIMULATOR at "
              + config.alpacaStreamUrl()
              + " (simulated prices, not real market data); client credential demo:demo is enabled");
    } else {
      LOG.info("Upstream is Alpaca at " + config.alpacaStreamUrl() + " with key " + config.upstreamKeyId());
    }
    UpstreamSettings settings =
        new UpstreamSettings(
            "alpaca-stocks",
            config.alpacaStreamUrl(),
            config.feeds(),
            config.upstreamKeyId(),
            config.upstreamSecret(),
            config.upstreamAuthTimeout(),
            new Backoff(config.backoffInitial(), config.backoffMax()),
            config.connectionLimitWait());
    UpstreamConnection connection =
        new UpstreamConnection(settings, transport, scheduler, new CdiListener(), Clock.systemUTC());
    stocks = connection;
    connection.start();
  }

  void onDemand(@Observes DemandChanged change) {
    UpstreamConnection connection = stocks;
    if (connection != null) {
      connection.demand(change);
    }
  }

  public List<UpstreamStatus> statuses() {
    UpstreamConnection connection = stocks;
    return connection == null ? List.of() : List.of(connection.status());
  }

  /** True when every upstream connection is authenticated and none is still missing. */
  public boolean allLive() {
    List<UpstreamStatus> statuses = statuses();
    return !statuses.isEmpty() && statuses.stream().allMatch(UpstreamStatus::live);
  }

  @PreDestroy
  void stop() {
    UpstreamConnection connection = stocks;
    if (connection != null) {
      connection.stop();
    }
  }

  /** Forwards a connection's output as CDI events, which health and distribution observe. */
  private final class CdiListener implements UpstreamListener {
    @Override
    public void stateChanged(UpstreamStateChanged change) {
      stateChanges.fire(change);
    }

    @Override
    public void received(MarketDataReceived data) {
      marketData.fire(data);
    }

    @Override
    public void feedSelected(FeedSelected selected) {
      LOG.info(selected.connection() + ": streaming feed " + selected.feed() + " (" + selected.reason() + ")");
      feedSelections.fire(selected);
    }
  }
}
