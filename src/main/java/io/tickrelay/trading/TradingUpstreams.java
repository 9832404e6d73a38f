package io.tickrelay.trading;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.SafeUrl;
import io.tickrelay.upstream.TyrusTransport;
import io.tickrelay.upstream.UpstreamSettings;
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
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The CDI shell around {@link TradingUpstream}: one trading-stream connection for the account,
 * held while a client listens on {@code /stream} or while kept warm, its updates fired as {@link
 * MarketDataReceived} of stream {@link Streams#TRADING}.
 */
@ApplicationScoped
public class TradingUpstreams {

  static final String FEED = "trade_updates";
  private static final Logger LOG = Logger.getLogger(TradingUpstreams.class.getName());

  @Inject GatewayConfig config;
  @Inject TyrusTransport transport;
  @Inject Event<MarketDataReceived> marketData;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private TradingUpstream upstream;
  private boolean listening;

  synchronized void start(@Observes Startup startup) {
    if (!config.alpacaTradeUpdates()) {
      LOG.info("Trade updates disabled (TICKRELAY_ALPACA_TRADE_UPDATES=false)");
      return;
    }
    upstream = new TradingUpstream(transport, config::alpacaTradingStreamUrl,
        this::currentCredentials, new Backoff(config.backoffInitial(), config.backoffMax()),
        scheduler, Clock.systemUTC(),
        updates -> marketData.fire(
            new MarketDataReceived(Streams.TRADING, FEED, List.<MarketEvent>copyOf(updates))));
    LOG.info("Trade updates from " + SafeUrl.of(config.alpacaTradingStreamUrl()) + " with key "
        + config.upstreamKeyId() + (config.upstreamKeepWarm() ? ", kept warm" : ", on demand"));
    upstream.want(config.upstreamKeepWarm() || listening);
  }

  /** Called by the hub, under its lock: keep this quick. */
  synchronized void clientsListening(boolean any) {
    listening = any;
    if (upstream != null) {
      upstream.want(config.upstreamKeepWarm() || any);
    }
  }

  /** The key and secret as configuration says now, read before every connection attempt. */
  private UpstreamSettings.Credentials currentCredentials() {
    if (config.simulatorMode()) {
      return new UpstreamSettings.Credentials(config.upstreamKeyId(), config.upstreamSecret());
    }
    Config live = ConfigProvider.getConfig(TradingUpstreams.class.getClassLoader());
    return new UpstreamSettings.Credentials(
        live.getOptionalValue("apca.api.key.id", String.class).orElse(config.upstreamKeyId()),
        live.getOptionalValue("apca.api.secret.key", String.class).orElse(config.upstreamSecret()));
  }

  @PreDestroy
  synchronized void stop() {
    if (upstream != null) {
      upstream.stop();
    }
  }
}
