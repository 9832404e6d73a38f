package io.tickrelay.alpaca;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one page of Alpaca's historical market-data API into events. The multi-symbol endpoints
 * answer {@code {"trades":{"AAPL":[{t,x,p,s,c,i,z}...]},"next_page_token":...}} and {@code
 * {"bars":{"AAPL":[{t,o,h,l,c,v,n,vw}...]},...}}, sorted by symbol, then time; crypto trades carry
 * {@code tks} (taker side) instead of {@code x}, {@code c}, {@code z}, and fractional sizes and
 * volumes. (docs.alpaca.markets, Market Data API: "Historical trades" {@code GET
 * /v2/stocks/trades}, "Historical bars" {@code GET /v2/stocks/bars}, "Historical crypto trades"
 * {@code GET /v1beta3/crypto/{loc}/trades}; paging: "If the result ... contains a next_page_token
 * that is not null there may be more data".)
 */
final class AlpacaHistoryPages {

  /** Which records a page holds. */
  enum Kind {
    STOCK_TRADES("trades"),
    STOCK_BARS("bars"),
    CRYPTO_TRADES("trades"),
    CRYPTO_BARS("bars");

    final String field;

    Kind(String field) {
      this.field = field;
    }
  }

  /** One page: its events in the API's order and the token of the next page, if any. */
  record Page(List<MarketEvent> events, Optional<String> nextPageToken) {}

  private AlpacaHistoryPages() {}

  static Page read(JsonObject body, Kind kind) {
    List<MarketEvent> events = new ArrayList<>();
    JsonValue records = body.get(kind.field);
    if (records != null && records.getValueType() == JsonValue.ValueType.OBJECT) {
      for (Map.Entry<String, JsonValue> entry : records.asJsonObject().entrySet()) {
        String symbol = entry.getKey();
        if (entry.getValue().getValueType() != JsonValue.ValueType.ARRAY) {
          continue;
        }
        for (JsonValue item : entry.getValue().asJsonArray()) {
          events.add(event(symbol, item.asJsonObject(), kind));
        }
      }
    }
    JsonValue token = body.get("next_page_token");
    Optional<String> next = token instanceof JsonString text && !text.getString().isEmpty()
        ? Optional.of(text.getString()) : Optional.empty();
    return new Page(events, next);
  }

  private static MarketEvent event(String symbol, JsonObject o, Kind kind) {
    Instant t = time(o.getString("t"));
    return switch (kind) {
      case STOCK_TRADES -> new Trade(symbol, o.getJsonNumber("i").longValue(), o.getString("x", ""),
          number(o, "p"), o.getJsonNumber("s").longValue(), t, conditions(o), o.getString("z", ""));
      case CRYPTO_TRADES -> new CryptoTrade(symbol, o.getJsonNumber("i").longValue(), number(o, "p"),
          number(o, "s"), t, o.getString("tks", ""));
      case STOCK_BARS -> new Bar(Bar.Kind.MINUTE, symbol, number(o, "o"), number(o, "h"),
          number(o, "l"), number(o, "c"), o.getJsonNumber("v").longValue(), count(o), number(o, "vw"), t);
      case CRYPTO_BARS -> new CryptoBar(Bar.Kind.MINUTE, symbol, number(o, "o"), number(o, "h"),
          number(o, "l"), number(o, "c"), number(o, "v"), count(o), number(o, "vw"), t);
    };
  }

  /** RFC-3339 with up to nanoseconds, {@code Z} or an offset. */
  static Instant time(String text) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
  }

  private static double number(JsonObject o, String field) {
    JsonNumber value = o.getJsonNumber(field);
    return value == null ? 0 : value.doubleValue();
  }

  private static long count(JsonObject o) {
    JsonNumber value = o.getJsonNumber("n");
    return value == null ? 0 : value.longValue();
  }

  private static List<String> conditions(JsonObject o) {
    JsonValue value = o.get("c");
    if (value == null || value.getValueType() != JsonValue.ValueType.ARRAY) {
      return List.of();
    }
    return value.asJsonArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }
}
