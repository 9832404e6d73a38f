package io.tickrelay.binance;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.SymbolListing;
import io.tickrelay.upstream.SafeUrl;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The pairs Binance lists, from {@code GET /api/v3/exchangeInfo} at start and every {@code
 * TICKRELAY_BINANCE_LISTING_REFRESH}: a client asking {@code crypto/binance} for anything else is
 * refused (400) instead of becoming an upstream stream, which Binance would accept and never feed
 * (upstream-protocols.md §2.2), one connection per 1024 of them. Until the first list arrives
 * symbols go unchecked (clients resubscribing after a restart are not refused for the gateway's
 * own start-up; {@code TICKRELAY_BINANCE_MAX_CONNECTIONS} still bounds them); a failed refresh
 * keeps the last list. The gauge {@code tickrelay_binance_listed_symbols} shows its size.
 */
@ApplicationScoped
public class BinanceListing implements SymbolListing {

  private static final Logger LOG = Logger.getLogger(BinanceListing.class.getName());
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  @Inject GatewayConfig config;
  @Inject io.tickrelay.metrics.Metrics metrics;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private volatile Set<String> listed = Set.of();
  private volatile boolean stopped;
  private HttpClient http;
  private BinanceSymbols symbols;
  private volatile int failures; // one refresh at a time, each on some pool thread

  void start(@Observes Startup startup) {
    if (!config.binanceEnabled()) {
      return;
    }
    symbols = new BinanceSymbols(config.binanceQuoteAssets());
    http = HttpClient.newBuilder() // its own executor: see refresh()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    metrics.gauge("tickrelay_binance_listed_symbols",
        "Binance pairs clients may subscribe, from exchangeInfo; 0 until the first list", this::size);
    scheduler.execute(this::refresh);
  }

  @Override
  public boolean covers(String stream) {
    return !listed.isEmpty() && stream.equals(Streams.crypto("binance"));
  }

  @Override
  public boolean lists(String stream, String symbol) {
    return listed.contains(symbol);
  }

  /** How many pairs the current list holds; 0 before the first. */
  public int size() {
    return listed.size();
  }

  /**
   * Asks for the list without holding a scheduler thread: on Payara a blocking send on the
   * container's scheduler (also the client's executor) could wait for work queued behind it, and
   * every other scheduled task, the upstreams' first connects included, waited with it.
   */
  private void refresh() {
    if (stopped) {
      return;
    }
    URI uri = URI.create(config.binanceRestUrl() + ExchangeInfo.PATH);
    http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, failure) -> {
          try {
            scheduleNext(received(uri, response, failure));
          } catch (RuntimeException e) { // a task boundary: the refreshes must go on
            LOG.warning(() -> "Binance symbol list: " + e);
            scheduleNext(config.binanceListingRefresh());
          }
        });
  }

  /** Takes a fresh list in; the time until the next refresh. */
  private Duration received(URI uri, HttpResponse<String> response, Throwable failure) {
    try {
      if (failure != null) {
        throw new IOException(failure.getMessage(), failure);
      }
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      Set<String> fresh;
      try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
        fresh = ExchangeInfo.tradingSymbols(reader.readObject(), symbols);
      }
      int before = listed.size();
      listed = Set.copyOf(fresh);
      failures = 0;
      if (before != fresh.size()) {
        LOG.info(() -> "Binance lists " + fresh.size() + " pairs the gateway can stream ("
            + SafeUrl.of(uri) + ")");
      }
      return config.binanceListingRefresh();
    } catch (IOException | JsonException | IllegalArgumentException | IllegalStateException e) {
      failures++;
      if (failures == 1 || failures % 10 == 0) {
        int inARow = failures;
        LOG.warning(() -> "Binance symbol list from " + SafeUrl.of(uri) + " failed (" + inARow
            + " in a row): " + e.getMessage() + "; " + (listed.isEmpty()
                ? "every Binance symbol is refused until it arrives" : "the last list stays"));
      }
      long doubled = FIRST_RETRY.toMillis() << Math.min(failures - 1, 10);
      return Duration.ofMillis(Math.min(doubled, config.binanceListingRefresh().toMillis()));
    }
  }

  private void scheduleNext(Duration next) {
    if (!stopped) {
      try {
        scheduler.schedule(this::refresh, next.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shuttingDown) {
        LOG.fine(() -> "Binance symbol list: no further refresh, the scheduler is stopping");
      }
    }
  }

  @PreDestroy
  void stop() {
    stopped = true;
  }
}
