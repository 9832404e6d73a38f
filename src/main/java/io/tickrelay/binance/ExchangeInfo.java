package io.tickrelay.binance;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binance's symbol list, {@code GET /api/v3/exchangeInfo} (Binance spot REST docs, "Exchange
 * information": {@code symbols[]} with {@code symbol}, {@code status}, {@code baseAsset}, {@code
 * quoteAsset}): read into gateway symbols, and written by the simulator in the same shape.
 */
final class ExchangeInfo {

  /** The REST path, after the configured Binance REST URL. */
  static final String PATH = "/api/v3/exchangeInfo";

  private ExchangeInfo() {}

  /**
   * The gateway symbols ({@code BTC/USDT}) of the pairs that trade ({@code status} TRADING) and map
   * to a stream with the configured quote assets; others can never be subscribed.
   */
  static Set<String> tradingSymbols(JsonObject info, BinanceSymbols symbols) {
    Set<String> listed = new TreeSet<>();
    JsonValue all = info.get("symbols");
    if (all == null || all.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new IllegalArgumentException("exchangeInfo without a symbols array");
    }
    for (JsonValue value : all.asJsonArray()) {
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject symbol = value.asJsonObject();
      if (!"TRADING".equals(symbol.getString("status", ""))) {
        continue;
      }
      String gateway = symbol.getString("baseAsset", "") + "/" + symbol.getString("quoteAsset", "");
      Optional<String> binance = symbols.toBinance(gateway);
      if (binance.isPresent() && binance.get().equals(symbol.getString("symbol", ""))) {
        listed.add(gateway);
      }
    }
    return listed;
  }

  /** An exchangeInfo body listing {@code binanceSymbols} ({@code BTCUSDT}) as trading. */
  static String of(Collection<String> binanceSymbols, BinanceSymbols symbols) {
    JsonArrayBuilder listed = Json.createArrayBuilder();
    for (String binance : new TreeSet<>(binanceSymbols)) {
      Optional<String> gateway = symbols.toGateway(binance);
      if (gateway.isEmpty()) {
        continue;
      }
      String[] pair = gateway.get().split("/");
      listed.add(Json.createObjectBuilder()
          .add("symbol", binance)
          .add("status", "TRADING")
          .add("baseAsset", pair[0])
          .add("quoteAsset", pair[1])
          .add("isSpotTradingAllowed", true));
    }
    return Json.createObjectBuilder()
        .add("timezone", "UTC")
        .add("serverTime", System.currentTimeMillis())
        .add("symbols", listed)
        .build()
        .toString();
  }
}
