package io.tickrelay.upstream;

import java.util.List;

/**
 * A provider's upstreams, one CDI bean per provider package (Alpaca, Binance, trading...), found
 * by {@link UpstreamConnections} at start-up: adding a provider means adding one such bean. Each
 * definition serves one stream; a stream served by two definitions keeps the first.
 */
public interface UpstreamProvider {

  /**
   * The upstreams configuration enables now. {@code common} carries the gateway-wide timing
   * (backoff, auth timeout, pings, silence window, escalation); derive each definition's settings
   * from it with {@link UpstreamSettings#forUpstream}.
   */
  List<UpstreamDefinition> upstreams(UpstreamSettings common);
}
