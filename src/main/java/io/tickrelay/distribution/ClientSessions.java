package io.tickrelay.distribution;

import io.tickrelay.admission.ClientAdmission;
import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.DirectWriter;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.marketdata.SymbolListing;
import io.tickrelay.marketdata.GapClosing;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketDataRecovered;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The CDI shell around {@link ClientHub}: builds it from configuration on the managed scheduler,
 * feeds it upstream data, feed changes and outages, and turns its demand into {@link DemandChanged}
 * events.
 */
@ApplicationScoped
public class ClientSessions {

  private static final Logger LOG = Logger.getLogger(ClientSessions.class.getName());

  @Inject GatewayConfig config;
  @Inject ClientAdmission admission;
  @Inject Event<DemandChanged> demand;
  @Inject io.tickrelay.metrics.Metrics metrics;
  /** The providers' symbol lists (Binance's), checked at subscribe. */
  @Inject Instance<SymbolListing> listings;
  /** The backfill's hook when there is one; else closing markers follow at once. */
  @Inject Instance<GapClosing> gapClosing;
  @Inject io.tickrelay.supervision.GatewayLoops loops;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private ClientHub hub;

  @PostConstruct
  void init() {
    io.tickrelay.metrics.Histogram latency =
        metrics.histogram(
            "tickrelay_delivery_latency_seconds",
            "Upstream event timestamp to the moment its frame is handed to a client socket"
                + " (oldest message of each frame)",
            0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5);
    hub =
        new ClientHub(
            settings(config).withListing(listing()),
            scheduler,
            demand::fire,
            System::nanoTime,
            latency::recordNanos,
            threads,
            admission.admission());
    for (String grant : config.clientCredentials().grants()) {
      if (!Grants.known(grant)) {
        LOG.warning("TICKRELAY_CLIENTS lists the grant '" + Grants.printable(grant)
            + "', which grants nothing (README, \"Credentials and grants\")");
      }
    }
    loops.register(hub::loops);
    LOG.info(
        "Client stream ready: "
            + config.clientCredentials().size()
            + " credentials, at most "
            + config.clientMaxConnections()
            + " clients");
  }

  static HubSettings settings(GatewayConfig config) {
    return new HubSettings(
        config.clientCredentials(),
        Entitlements.parse(
            config.clientLimits(),
            new Entitlements.Limits(
                config.clientConnectionsPerCredential(), config.clientSymbolsPerConnection())),
        config.clientAuthTimeout(),
        config.clientMaxConnections(),
        new ClientOutbox.Limits(
            config.clientOutboxMessages(), config.clientSlowAfter(), config.clientMaxFrameBytes(),
            config.clientMaxPendingBytes(), config.clientSlowCloseGrace()),
        config.clientSlowCloseGrace(),
        config.clientJournalSize(),
        new ControlRate.Limits(
            config.clientControlPerSecond(),
            config.clientControlBurst(),
            config.clientControlRefusalsBeforeClose()),
        config.clientMaxMessageBytes(),
        config.clientFanoutQueue(),
        config.clientBatchWindow(),
        config.clientDirectWrites()
            ? new DirectWriter.Settings(
                config.clientWriteBlockAfter(), config.clientMaxBlockedWrites())
            : null,
        config.upstreamLinger());
  }

  /** Every provider's listing: a stream covered by one takes only the symbols it lists. */
  private SymbolListing listing() {
    List<SymbolListing> all = listings.stream().toList();
    return new SymbolListing() {
      @Override
      public boolean covers(String stream) {
        return all.stream().anyMatch(l -> l.covers(stream));
      }

      @Override
      public boolean lists(String stream, String symbol) {
        return all.stream().filter(l -> l.covers(stream)).allMatch(l -> l.lists(stream, symbol));
      }
    };
  }

  /**
   * Whether a crypto location has an upstream here: Alpaca's configured locations, and Binance's
   * when it is on. Others are an unknown feed (close 1003), never an acknowledgement and silence.
   */
  boolean serves(StreamPath path) {
    return path.kind() != StreamPath.Kind.CRYPTO
        || config.alpacaCryptoLocations().contains(path.name())
        || (path.name().equals("binance") && config.binanceEnabled());
  }

  ClientHub hub() {
    return hub;
  }

  public int count() {
    return hub.count();
  }

  public ClientFigures figures() {
    return hub.figures();
  }

  void onMarketData(@Observes MarketDataReceived data) {
    hub.publish(data.stream(), data.events());
  }

  void onRecovered(@Observes MarketDataRecovered recovered) {
    hub.recovered(recovered.stream(), recovered.events());
  }

  void onFeedSelected(@Observes FeedSelected selected) {
    hub.feedSelected(selected);
  }

  void onSubscriptionRefused(@Observes SubscriptionRefused refused) {
    hub.subscriptionRefused(refused);
  }

  void onInterrupted(@Observes UpstreamInterrupted interrupted) {
    hub.interrupted(interrupted);
  }

  void onRestored(@Observes UpstreamRestored restored) {
    hub.restored(restored, gapClosing.isResolvable() ? gapClosing.get() : GapClosing.NONE);
  }

  @PreDestroy
  void closeAll() {
    hub.closeAll();
  }
}
