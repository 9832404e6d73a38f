package io.tickrelay.binance;

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

/** Binance's trade history for backfill as a CDI bean: REST URL and weight budget from configuration. */
@ApplicationScoped
public class BinanceHistory implements HistorySource {

  @Inject GatewayConfig config;

  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  ManagedExecutorService executor;

  private volatile BinanceHistorySource source;

  @Override
  public boolean serves(String stream) {
    return config.binanceEnabled() && source().serves(stream);
  }

  @Override
  public Set<Channel> channels(String stream) {
    return source().channels(stream);
  }

  @Override
  public void fetch(ChannelFetch fetch) throws HistoryUnavailable {
    source().fetch(fetch);
  }

  private BinanceHistorySource source() {
    BinanceHistorySource current = source;
    if (current == null) {
      synchronized (this) {
        if (source == null) {
          RequestRate weight = new RequestRate(config.binanceRestWeightPerMinute(), Clock.systemUTC());
          source = new BinanceHistorySource(config.binanceRestUrl(),
              new BinanceSymbols(config.binanceQuoteAssets()), HistoryHttp.of("binance", executor, weight));
        }
        current = source;
      }
    }
    return current;
  }
}
