package io.tickrelay.binance;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.upstream.SafeUrl;
import io.tickrelay.upstream.UpstreamDefinition;
import io.tickrelay.upstream.UpstreamProvider;
import io.tickrelay.upstream.UpstreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * Binance's upstream: the {@code crypto/binance} stream, when {@code TICKRELAY_BINANCE_ENABLED}
 * (by default only in simulator mode, against the embedded Binance simulator).
 */
@ApplicationScoped
public class BinanceUpstreams implements UpstreamProvider {

  private static final Logger LOG = Logger.getLogger(BinanceUpstreams.class.getName());

  @Inject GatewayConfig config;

  @Override
  public List<UpstreamDefinition> upstreams(UpstreamSettings common) {
    if (!config.binanceEnabled()) {
      return List.of();
    }
    LOG.info("Binance spot upstream at " + SafeUrl.of(config.binanceStreamUrl()) + " for /v1beta3/crypto/binance"
        + (config.simulatorMode() ? " (EMBEDDED SIMULATOR, simulated prices)" : "")
        + ", connections replaced after " + config.binanceMaxSessionAge());
    // market streams need no credentials; silence is no stall on Binance, where many pairs trade
    // seldom (a trades-only subscription would reconnect every silence window): the gateway's pings
    // catch dead connections instead (BinanceProtocol#keepalive)
    UpstreamSettings settings = common
        .forUpstream("binance-spot", config.binanceStreamUrl(), List.of(BinanceProtocol.FEED), "public", "")
        .withSilenceCheck(UpstreamSettings.SilenceCheck.OFF);
    // never kept warm: market streams have no login or connection slot to secure in advance, and an
    // idle connection holding no stream would only be rotated every day for nothing
    return List.of(new UpstreamDefinition(protocol(config), settings, false));
  }

  static BinanceProtocol protocol(GatewayConfig config) {
    return new BinanceProtocol(new BinanceSymbols(config.binanceQuoteAssets()), config.binanceControlPerSecond(),
        config.binanceStreamsPerConnection(), config.binanceMaxConnections(), config.binanceMaxSessionAge(),
        Clock.systemUTC());
  }
}
