package io.tickrelay.upstream;

import io.tickrelay.alpaca.AlpacaProtocol;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The gateway's upstream connections (for now the Alpaca stock stream), held in an {@link
 * UpstreamRegistry}: one lease while clients want anything, and one kept warm (by default) so the
 * gateway is ready before its first client. Started on CDI {@link Startup} without blocking it.
 */
@ApplicationScoped
public class UpstreamConnections {

  private static final Logger LOG = Logger.getLogger(UpstreamConnections.class.getName());

  @Inject GatewayConfig config;
  @Inject TyrusTransport transport;
  @Inject ManagedTasks managedTasks;
  @Inject Event<MarketDataReceived> marketData;
  @Inject Event<UpstreamStateChanged> stateChanges;
  @Inject Event<FeedSelected> feedSelections;

  private UpstreamRegistry registry;
  private UpstreamKey stocks;
  private UpstreamRegistry.Lease warm;
  private UpstreamRegistry.Lease demandLease;
  private Interest union = Interest.none();

  synchronized void start(@Observes Startup startup) {
    if (config.simulatorMode()) {
      LOG.warning(
          "APCA_API_KEY_ID is not set: the upstream is the EMBEDDED SIMULATOR at "
              + config.alpacaStreamUrl()
              + " (simulated prices, not real market data); client credential demo:demo is enabled");
    } else {
      LOG.info("Upstream is Alpaca at " + SafeUrl.of(config.alpacaStreamUrl()) + " with key " + config.upstreamKeyId());
    }
    Tasks tasks = managedTasks.tasksVia(managedTasks); // the injected proxy: @Asynchronous applies
    registry = new UpstreamRegistry(key -> new UpstreamConnection(AlpacaProtocol.stocks(),
        settings("alpaca-stocks"), transport, tasks, new CdiListener(), Clock.systemUTC()));
    stocks = new UpstreamKey("alpaca", config.upstreamKeyId(), "stocks");
    if (config.upstreamKeepWarm()) {
      warm = registry.acquire(stocks);
    }
  }

  private UpstreamSettings settings(String name) {
    return new UpstreamSettings(
        name,
        config.alpacaStreamUrl(),
        config.feeds(),
        config.upstreamKeyId(),
        config.upstreamSecret(),
        config.upstreamAuthTimeout(),
        new Backoff(config.backoffInitial(), config.backoffMax()),
        config.connectionLimitWait(),
        config.throttledFloor(),
        config.pingInterval(),
        config.pongTimeout(),
        config.silenceWindow(),
        UpstreamSettings.SilenceCheck.valueOf(
            config.silenceCheck().trim().toUpperCase(Locale.ROOT).replace('-', '_')),
        config.reprobeInterval(),
        config.escalateAfter())
        .withCredentialSource(this::currentCredentials);
  }

  /**
   * The upstream key and secret as configuration says now, read before every authentication, so
   * a secret rotated in a config source that changes at run time (Liberty re-reads its variable
   * files, a mounted Kubernetes secret for instance) is used at the next reconnect.
   */
  private UpstreamSettings.Credentials currentCredentials() {
    if (config.simulatorMode()) {
      return new UpstreamSettings.Credentials(config.upstreamKeyId(), config.upstreamSecret());
    }
    Config live = ConfigProvider.getConfig(UpstreamConnections.class.getClassLoader());
    return new UpstreamSettings.Credentials(
        live.getOptionalValue("apca.api.key.id", String.class).orElse(config.upstreamKeyId()),
        live.getOptionalValue("apca.api.secret.key", String.class).orElse(config.upstreamSecret()));
  }

  /** Client demand changed: hold a lease while anything is wanted and pass the change on. */
  synchronized void onDemand(@Observes DemandChanged change) {
    if (registry == null) {
      return;
    }
    boolean wasEmpty = union.isEmpty();
    union = union.plus(change.added()).minus(change.removed());
    if (wasEmpty && !union.isEmpty()) {
      demandLease = registry.acquire(stocks);
    }
    registry.connection(stocks).ifPresent(connection -> connection.demand(change));
    if (!wasEmpty && union.isEmpty() && demandLease != null) {
      demandLease.release();
      demandLease = null;
    }
  }

  public List<UpstreamStatus> statuses() {
    UpstreamRegistry current = registry;
    return current == null ? List.of() : current.connections().stream().map(UpstreamConnection::status).toList();
  }

  /** True when every held upstream connection is authenticated (and at least one is required). */
  public boolean allLive() {
    List<UpstreamStatus> statuses = statuses();
    return !statuses.isEmpty() && statuses.stream().allMatch(UpstreamStatus::live);
  }

  @PreDestroy
  void stop() {
    UpstreamRegistry current = registry;
    if (current != null) {
      current.stopAll();
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
      feedSelections.fire(selected);
    }
  }
}
