package io.tickrelay.alpaca;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.upstream.SafeUrl;
import io.tickrelay.upstream.UpstreamDefinition;
import io.tickrelay.upstream.UpstreamProvider;
import io.tickrelay.upstream.UpstreamSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Alpaca's upstreams: the stock stream (every {@code /v2/{feed}} client), kept warm by default. */
@ApplicationScoped
public class AlpacaUpstreams implements UpstreamProvider {

  private static final Logger LOG = Logger.getLogger(AlpacaUpstreams.class.getName());

  @Inject GatewayConfig config;

  @Override
  public List<UpstreamDefinition> upstreams(UpstreamSettings common) {
    if (config.simulatorMode()) {
      LOG.warning(
          "APCA_API_KEY_ID is not set: the upstream is the EMBEDDED SIMULATOR at "
              + config.alpacaStreamUrl()
              + " (simulated prices, not real market data); client credential demo:demo is enabled");
    } else {
      LOG.info("Upstream is Alpaca at " + SafeUrl.of(config.alpacaStreamUrl()) + " with key " + config.upstreamKeyId());
    }
    UpstreamSettings stocks = common
        .forUpstream("alpaca-stocks", config.alpacaStreamUrl(), config.feeds(),
            config.upstreamKeyId(), config.upstreamSecret())
        .withCredentialSource(this::currentCredentials);
    return List.of(new UpstreamDefinition(AlpacaProtocol.stocks(), stocks, config.upstreamKeepWarm()));
  }

  /**
   * The upstream key and secret as configuration says now, read before every connect, so a secret
   * rotated in a config source that changes at run time (Liberty re-reads its variable files, a
   * mounted Kubernetes secret for instance) is used at the next reconnect.
   */
  private UpstreamSettings.Credentials currentCredentials() {
    if (config.simulatorMode()) {
      return new UpstreamSettings.Credentials(config.upstreamKeyId(), config.upstreamSecret());
    }
    Config live = ConfigProvider.getConfig(AlpacaUpstreams.class.getClassLoader());
    return new UpstreamSettings.Credentials(
        live.getOptionalValue("apca.api.key.id", String.class).orElse(config.upstreamKeyId()),
        live.getOptionalValue("apca.api.secret.key", String.class).orElse(config.upstreamSecret()));
  }
}
