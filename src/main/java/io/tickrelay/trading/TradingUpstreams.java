package io.tickrelay.trading;

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
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The trading stream's upstream definition: one connection per account to {@code
 * TICKRELAY_ALPACA_TRADING_STREAM_URL} with the APCA key and secret (re-read before every connect),
 * held while a {@code /stream} client listens or kept warm; never "silent" (an account may have
 * no order events for hours).
 */
@ApplicationScoped
public class TradingUpstreams implements UpstreamProvider {

  static final String FEED = "trade_updates";
  private static final Logger LOG = Logger.getLogger(TradingUpstreams.class.getName());

  @Inject GatewayConfig config;

  @Override
  public List<UpstreamDefinition> upstreams(UpstreamSettings common) {
    if (!config.alpacaTradeUpdates()) {
      LOG.info("Trade updates are off (TICKRELAY_ALPACA_TRADE_UPDATES)");
      return List.of();
    }
    if (config.alpacaKeyMissing()) {
      LOG.severe("Live mode but APCA_API_KEY_ID is not set (or empty): no trade updates upstream");
      return List.of();
    }
    LOG.info("Trade updates from " + SafeUrl.of(config.alpacaTradingStreamUrl()) + " with key "
        + config.upstreamKeyId());
    UpstreamSettings settings = common
        .forUpstream("alpaca-trading", config.alpacaTradingStreamUrl(), List.of(FEED),
            config.upstreamKeyId(), config.upstreamSecret())
        .withCredentialSource(this::currentCredentials)
        .withSilenceCheck(UpstreamSettings.SilenceCheck.OFF);
    return List.of(new UpstreamDefinition(
        new TradingProtocol(Clock.systemUTC()), settings, config.upstreamKeepWarm()));
  }

  /** The key and secret as configuration says now (the same rule as the stock upstream's). */
  private UpstreamSettings.Credentials currentCredentials() {
    if (config.simulatorMode()) {
      return new UpstreamSettings.Credentials(config.upstreamKeyId(), config.upstreamSecret());
    }
    Config live = ConfigProvider.getConfig(TradingUpstreams.class.getClassLoader());
    return new UpstreamSettings.Credentials(
        live.getOptionalValue("apca.api.key.id", String.class).orElse(config.upstreamKeyId()),
        live.getOptionalValue("apca.api.secret.key", String.class).orElse(config.upstreamSecret()));
  }
}
