package io.tickrelay.trading;

import io.tickrelay.admission.ClientAdmission;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.TradeUpdate;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDI shell around {@link TradingHub}: builds it from configuration, feeds it the trading
 * stream's {@link MarketDataReceived} events and turns its listeners into {@link DemandChanged}
 * of stream {@code trading}, which the upstream side routes to the trading-stream connection.
 */
@ApplicationScoped
public class TradingClients {

  @Inject GatewayConfig config;
  @Inject ClientAdmission admission;
  @Inject Event<DemandChanged> demand;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private TradingHub hub;

  @PostConstruct
  void init() {
    hub = new TradingHub(
        new TradingHubSettings(
            config.clientCredentials(),
            config.clientAuthTimeout(),
            new ClientOutbox.Limits(config.clientOutboxMessages(), config.clientSlowAfter(), 1),
            config.clientMaxMessageBytes(),
            config.clientMaxConnections(),
            new ControlRate.Limits(
                config.clientControlPerSecond(),
                config.clientControlBurst(),
                config.clientControlRefusalsBeforeClose()),
            Entitlements.parse(config.clientLimits(), new Entitlements.Limits(
                config.clientConnectionsPerCredential(), config.clientSymbolsPerConnection()))),
        scheduler,
        demand::fire,
        System::nanoTime,
        admission.admission());
  }

  TradingHub hub() {
    return hub;
  }

  void received(@Observes MarketDataReceived received) {
    if (!Streams.TRADING.equals(received.stream())) {
      return;
    }
    List<TradeUpdate> updates = new ArrayList<>(received.events().size());
    for (MarketEvent event : received.events()) {
      if (event instanceof TradeUpdate update) {
        updates.add(update);
      }
    }
    hub.publish(updates);
  }

  @PreDestroy
  void stop() {
    hub.closeAll();
  }
}
