package io.tickrelay.alpaca;

import io.tickrelay.backfill.ChannelFetch;
import io.tickrelay.backfill.HistoryHttp;
import io.tickrelay.backfill.HistorySource;
import io.tickrelay.backfill.HistoryUnavailable;
import io.tickrelay.backfill.RequestRate;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.Channel;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Set;

/**
 * Alpaca's history for backfill as a CDI bean: the data URL, rate and credentials from
 * configuration (credentials re-read before every request, as the upstream does before every
 * connect), HTTP on the container's managed executor.
 */
@ApplicationScoped
public class AlpacaHistory implements HistorySource {

  @Inject GatewayConfig config;
  @Inject AlpacaUpstreams upstreams;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  private volatile AlpacaHistorySource source;

  @Override
  public boolean serves(String stream) {
    return source().serves(stream);
  }

  @Override
  public Set<Channel> channels(String stream) {
    return source().channels(stream);
  }

  @Override
  public void fetch(ChannelFetch fetch) throws HistoryUnavailable {
    source().fetch(fetch);
  }

  private AlpacaHistorySource source() {
    AlpacaHistorySource current = source;
    if (current == null) {
      synchronized (this) {
        if (source == null) {
          RequestRate rate = new RequestRate(config.alpacaDataRequestsPerMinute(), Clock.systemUTC());
          source = new AlpacaHistorySource(config.alpacaDataUrl(),
              Set.copyOf(config.alpacaCryptoLocations()), HistoryHttp.of("alpaca", executor, rate),
              upstreams::currentCredentials);
        }
        current = source;
      }
    }
    return current;
  }
}
