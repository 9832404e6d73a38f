package io.tickrelay.binance;

import io.tickrelay.backfill.ChannelFetch;
import io.tickrelay.backfill.ChannelRecovery;
import io.tickrelay.backfill.HistoryHttp;
import io.tickrelay.backfill.HistorySource;
import io.tickrelay.backfill.HistoryUnavailable;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Streams;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binance spot trades by trade id, container-free: from the trade after the last one seen live
 * ({@code GET /api/v3/historicalTrades?symbol=&fromId=&limit=1000}, weight 25; no API key in the
 * current docs), or, when no id is known, from the first trade of the first aggregate trade at or
 * after the outage's start ({@code GET /api/v3/aggTrades?startTime=&limit=1}, weight 4, whose
 * {@code f} is that first trade id), page after page until a trade at or after the outage's end.
 * (developers.binance.com, Spot REST API, Market data endpoints: "Old trade lookup",
 * "Compressed/Aggregate trades list"; Limits: 429 with Retry-After, 418 when banned.)
 */
final class BinanceHistorySource implements HistorySource {

  static final int PAGE_LIMIT = 1000;
  static final int HISTORICAL_TRADES_WEIGHT = 25;
  static final int AGG_TRADES_WEIGHT = 4;

  private final URI restUrl;
  private final BinanceSymbols symbols;
  private final HistoryHttp http;

  BinanceHistorySource(URI restUrl, BinanceSymbols symbols, HistoryHttp http) {
    this.restUrl = restUrl;
    this.symbols = symbols;
    this.http = http;
  }

  @Override
  public boolean serves(String stream) {
    return Streams.crypto("binance").equals(stream);
  }

  @Override
  public Set<Channel> channels(String stream) {
    return serves(stream) ? Set.of(Channel.TRADES) : Set.of();
  }

  @Override
  public void fetch(ChannelFetch fetch) throws HistoryUnavailable {
    List<String> unmapped = new ArrayList<>();
    for (String symbol : new TreeSet<>(fetch.symbols())) {
      Optional<String> binance = symbols.toBinance(symbol);
      if (binance.isEmpty()) {
        unmapped.add(symbol);
        continue;
      }
      if (!fetchSymbol(fetch, symbol, binance.get())) {
        return;
      }
    }
    if (!unmapped.isEmpty()) {
      throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED,
          "binance: no Binance symbol for " + unmapped + "; the others were fetched");
    }
  }

  /** One symbol's trades of the window; false when the budget stopped it. */
  private boolean fetchSymbol(ChannelFetch fetch, String symbol, String binanceSymbol)
      throws HistoryUnavailable {
    Long last = fetch.lastTradeIds().get(symbol);
    long fromId;
    if (last != null) {
      fromId = last + 1;
    } else {
      if (!fetch.nextPage()) {
        return false;
      }
      JsonArray first = array(get(fetch, "/api/v3/aggTrades",
          Map.of("symbol", binanceSymbol, "startTime", String.valueOf(fetch.from().toEpochMilli()), "limit", "1"),
          AGG_TRADES_WEIGHT));
      if (first.isEmpty()) {
        return true; // nothing traded since the outage began
      }
      fromId = first.getJsonObject(0).getJsonNumber("f").longValue();
    }
    while (true) {
      if (!fetch.nextPage()) {
        return false;
      }
      JsonArray page = array(get(fetch, "/api/v3/historicalTrades", Map.of("symbol", binanceSymbol,
          "fromId", String.valueOf(fromId), "limit", String.valueOf(PAGE_LIMIT)), HISTORICAL_TRADES_WEIGHT));
      for (JsonValue item : page) {
        JsonObject trade = item.asJsonObject();
        Instant time = Instant.ofEpochMilli(trade.getJsonNumber("time").longValue());
        if (!time.isBefore(fetch.to())) {
          return true;
        }
        fromId = trade.getJsonNumber("id").longValue() + 1;
        // Binance sends prices and quantities as strings; the maker flag says who took
        boolean buyerMaker = trade.getBoolean("isBuyerMaker", false);
        if (!fetch.add(new CryptoTrade(symbol, fromId - 1, decimal(trade, "price"), decimal(trade, "qty"),
            time, buyerMaker ? "S" : "B"))) {
          return false;
        }
      }
      if (page.size() < PAGE_LIMIT) {
        return true;
      }
    }
  }

  private JsonValue get(ChannelFetch fetch, String path, Map<String, String> query, int weight)
      throws HistoryUnavailable {
    StringBuilder url = new StringBuilder(restUrl.toString()).append(path);
    char separator = '?';
    for (String name : new TreeSet<>(query.keySet())) {
      url.append(separator).append(name).append('=').append(query.get(name));
      separator = '&';
    }
    return http.getJson(fetch, URI.create(url.toString()), Map.of(), weight).body();
  }

  private static JsonArray array(JsonValue body) throws HistoryUnavailable {
    if (body.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED, "binance: expected a JSON array");
    }
    return body.asJsonArray();
  }

  private static double decimal(JsonObject trade, String field) {
    JsonValue value = trade.get(field);
    return value.getValueType() == JsonValue.ValueType.STRING
        ? new BigDecimal(trade.getString(field)).doubleValue()
        : trade.getJsonNumber(field).doubleValue();
  }
}
