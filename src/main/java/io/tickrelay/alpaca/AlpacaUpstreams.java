package io.tickrelay.alpaca;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.upstream.SafeUrl;
import io.tickrelay.upstream.UpstreamDefinition;
import io.tickrelay.upstream.UpstreamProvider;
import io.tickrelay.upstream.UpstreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Alpaca's upstreams: the stock stream (every {@code /v2/{feed}} client), kept warm by default,
 * and one crypto stream per configured location ({@code /v1beta3/crypto/{loc}}), connected while
 * its clients want data.
 */
@ApplicationScoped
public class AlpacaUpstreams implements UpstreamProvider {

  private static final Logger LOG = Logger.getLogger(AlpacaUpstreams.class.getName());

  @Inject GatewayConfig config;

  @Override
  public List<UpstreamDefinition> upstreams(UpstreamSettings common) {
    if (config.alpacaKeyMissing()) {
      // live mode without a key: never the simulator's demo key, and no empty auth against Alpaca
      LOG.severe("Live mode but APCA_API_KEY_ID is not set (or empty): no Alpaca upstream");
      return List.of();
    }
    if (config.simulatorMode()) {
      LOG.warning(
          "Simulator mode (" + config.mode().reason() + "): the upstream is the EMBEDDED SIMULATOR at "
              + config.alpacaStreamUrl()
              + " (simulated prices, not real market data); client credential demo:demo is enabled");
    } else {
      LOG.info("Upstream is Alpaca at " + SafeUrl.of(config.alpacaStreamUrl()) + " with key " + config.upstreamKeyId());
    }
    UpstreamSettings stocks = common
        .forUpstream("alpaca-stocks", config.alpacaStreamUrl(), config.feeds(),
            config.upstreamKeyId(), config.upstreamSecret())
        .withCredentialSource(this::currentCredentials);
    List<UpstreamDefinition> definitions = new ArrayList<>();
    definitions.add(new UpstreamDefinition(AlpacaProtocol.stocks(), stocks, config.upstreamKeepWarm()));
    for (String location : config.alpacaCryptoLocations()) {
      definitions.add(crypto(common, location));
    }
    return definitions;
  }

  /**
   * The crypto stream of {@code location}: same host and key as stocks, the location as its one
   * feed. Not kept warm: Alpaca allows one connection per endpoint and key, and a crypto stream
   * nobody reads should not hold it. Crypto trades around the clock, so a market-hours silence rule
   * becomes an always-on one.
   */
  private UpstreamDefinition crypto(UpstreamSettings common, String location) {
    UpstreamSettings settings = common
        .forUpstream("alpaca-crypto-" + location, config.alpacaStreamUrl(), List.of(location),
            config.upstreamKeyId(), config.upstreamSecret())
        .withCredentialSource(this::currentCredentials);
    if (settings.silenceCheck() == UpstreamSettings.SilenceCheck.MARKET_HOURS) {
      settings = settings.withSilenceCheck(UpstreamSettings.SilenceCheck.ALWAYS);
    }
    return new UpstreamDefinition(AlpacaProtocol.crypto(location), settings, false);
  }

  /**
   * The upstream key and secret as configuration says now, read before every connect, so a secret
   * rotated in a config source that changes at run time (Liberty re-reads its variable files, a
   * mounted Kubernetes secret for instance) is used at the next reconnect.
   */
  UpstreamSettings.Credentials currentCredentials() {
    if (config.simulatorMode()) {
      return new UpstreamSettings.Credentials(config.upstreamKeyId(), config.upstreamSecret());
    }
    Config live = ConfigProvider.getConfig(AlpacaUpstreams.class.getClassLoader());
    return new UpstreamSettings.Credentials(
        live.getOptionalValue("apca.api.key.id", String.class).orElse(config.upstreamKeyId()),
        live.getOptionalValue("apca.api.secret.key", String.class).orElse(config.upstreamSecret()));
  }
}
