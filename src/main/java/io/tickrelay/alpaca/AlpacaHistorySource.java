package io.tickrelay.alpaca;

import io.tickrelay.backfill.ChannelFetch;
import io.tickrelay.backfill.ChannelRecovery;
import io.tickrelay.backfill.HistoryHttp;
import io.tickrelay.backfill.HistorySource;
import io.tickrelay.backfill.HistoryUnavailable;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.upstream.UpstreamSettings;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Alpaca's history of trades and minute bars, container-free: stocks from {@code
 * {data}/v2/stocks/trades|bars} on the stream's feed with the APCA key headers, crypto from
 * {@code {data}/v1beta3/crypto/{loc}/trades|bars}, {@code next_page_token} pages until none is
 * left. Trade ids are not used to page: Alpaca pages by time, and a stock trade id is only unique
 * per venue.
 */
final class AlpacaHistorySource implements HistorySource {

  /** Alpaca's largest page (docs: "limit ... 1 - 10000"). */
  static final int PAGE_LIMIT = 10_000;

  /** Symbols per request, to keep the URL short; the API pages through them in symbol order. */
  static final int SYMBOLS_PER_REQUEST = 100;

  private static final Set<Channel> CHANNELS = Set.of(Channel.TRADES, Channel.BARS);
  private static final String CRYPTO_PREFIX = Streams.crypto("");

  private final URI dataUrl;
  private final Set<String> cryptoLocations;
  private final HistoryHttp http;
  private final Supplier<UpstreamSettings.Credentials> credentials;

  AlpacaHistorySource(URI dataUrl, Set<String> cryptoLocations, HistoryHttp http,
      Supplier<UpstreamSettings.Credentials> credentials) {
    this.dataUrl = dataUrl;
    this.cryptoLocations = Set.copyOf(cryptoLocations);
    this.http = http;
    this.credentials = credentials;
  }

  @Override
  public boolean serves(String stream) {
    return Streams.STOCKS.equals(stream)
        || stream.startsWith(CRYPTO_PREFIX) && cryptoLocations.contains(stream.substring(CRYPTO_PREFIX.length()));
  }

  @Override
  public Set<Channel> channels(String stream) {
    return serves(stream) ? CHANNELS : Set.of();
  }

  @Override
  public void fetch(ChannelFetch fetch) throws HistoryUnavailable {
    boolean stocks = Streams.STOCKS.equals(fetch.stream());
    if (stocks && "test".equals(fetch.feed())) {
      throw new HistoryUnavailable(ChannelRecovery.Outcome.UNSUPPORTED,
          "alpaca: the test feed (FAKEPACA) has no history");
    }
    boolean bars = fetch.channel() == Channel.BARS;
    AlpacaHistoryPages.Kind kind = stocks
        ? (bars ? AlpacaHistoryPages.Kind.STOCK_BARS : AlpacaHistoryPages.Kind.STOCK_TRADES)
        : (bars ? AlpacaHistoryPages.Kind.CRYPTO_BARS : AlpacaHistoryPages.Kind.CRYPTO_TRADES);
    String path = stocks ? "/v2/stocks/" + kind.field
        : "/v1beta3/crypto/" + fetch.stream().substring(CRYPTO_PREFIX.length()) + "/" + kind.field;
    Set<String> symbols = new TreeSet<>(fetch.symbols());
    boolean wildcard = symbols.remove(Interest.WILDCARD);
    List<String> all = new ArrayList<>(symbols);
    for (int i = 0; i < all.size(); i += SYMBOLS_PER_REQUEST) {
      List<String> chunk = all.subList(i, Math.min(all.size(), i + SYMBOLS_PER_REQUEST));
      if (!fetchPages(fetch, path, kind, chunk, stocks)) {
        return;
      }
    }
    if (wildcard) {
      throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED,
          "alpaca: a * subscription cannot be replayed; only the named symbols were fetched");
    }
  }

  /** Pages through one request's symbols; false when the budget stopped it. */
  private boolean fetchPages(ChannelFetch fetch, String path, AlpacaHistoryPages.Kind kind,
      List<String> symbols, boolean stocks) throws HistoryUnavailable {
    Optional<String> token = Optional.empty();
    do {
      if (!fetch.nextPage()) {
        return false;
      }
      Map<String, String> query = new LinkedHashMap<>();
      query.put("symbols", String.join(",", symbols));
      if (kind == AlpacaHistoryPages.Kind.STOCK_BARS || kind == AlpacaHistoryPages.Kind.CRYPTO_BARS) {
        query.put("timeframe", "1Min");
      }
      // start and end are inclusive (RFC-3339); events at `to` are dropped by the fetch
      query.put("start", fetch.from().toString());
      query.put("end", fetch.to().toString());
      query.put("limit", String.valueOf(PAGE_LIMIT));
      query.put("sort", "asc");
      if (stocks) {
        query.put("feed", fetch.feed());
      }
      token.ifPresent(t -> query.put("page_token", t));
      JsonValue body = http.getJson(fetch, uri(path, query), headers(), 1).body();
      if (body.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED, "alpaca " + path + ": not a JSON object");
      }
      AlpacaHistoryPages.Page page = AlpacaHistoryPages.read(body.asJsonObject(), kind);
      for (MarketEvent event : page.events()) {
        if (!fetch.add(event)) {
          return false;
        }
      }
      token = page.nextPageToken();
    } while (token.isPresent());
    return true;
  }

  private Map<String, String> headers() {
    UpstreamSettings.Credentials current = credentials.get();
    if (current == null || current.keyId() == null || current.secret() == null) {
      return Map.of();
    }
    return Map.of("APCA-API-KEY-ID", current.keyId(), "APCA-API-SECRET-KEY", current.secret());
  }

  private URI uri(String path, Map<String, String> query) {
    StringBuilder url = new StringBuilder(dataUrl.toString()).append(path);
    char separator = '?';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      url.append(separator).append(parameter.getKey()).append('=')
          .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    return URI.create(url.toString());
  }
}
