package io.tickrelay.binance;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decodes Binance stream frames (upstream-protocols.md §2.4) into Alpaca crypto shapes: {@code
 * trade} into {@link CryptoTrade} (taker side from the buyer-is-maker flag {@code m}: a maker buyer
 * means the seller took), {@code bookTicker} into {@link CryptoQuote} (it carries no time, so the
 * receive time stands in), and a closed {@code kline_1m} ({@code x:true}) into a minute {@link
 * CryptoBar} stamped with its open time. An open kline update becomes nothing: Alpaca's {@code
 * updatedBars} correct a bar already sent, while an open kline is a bar not finished yet, and
 * relaying every 2 s snapshot as a bar would tell clients the minute closed. Prices and quantities
 * arrive as strings. Pure and thread-safe.
 */
public final class BinanceFrames {

  private final JsonProvider json = JsonProvider.provider();
  private final BinanceSymbols symbols;

  public BinanceFrames(BinanceSymbols symbols) {
    this.symbols = symbols;
  }

  public BinanceFrame decode(String text, Instant receivedAt) {
    JsonObject frame;
    try (JsonReader reader = json.createReader(new StringReader(text))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        return new BinanceFrame.Ignored("not a JSON object");
      }
      frame = value.asJsonObject();
    } catch (JsonException e) {
      return new BinanceFrame.Ignored("malformed JSON: " + e.getMessage());
    }
    try {
      return decode(frame, receivedAt);
    } catch (ClassCastException | NullPointerException | ArithmeticException | NumberFormatException e) {
      return new BinanceFrame.Ignored("unexpected field types: " + e);
    }
  }

  private BinanceFrame decode(JsonObject frame, Instant receivedAt) {
    if (frame.containsKey("error") && frame.get("error").getValueType() == JsonValue.ValueType.OBJECT) {
      JsonObject error = frame.getJsonObject("error");
      return new BinanceFrame.Failure(
          idOf(frame), error.getInt("code", -1), error.getString("msg", ""));
    }
    if (frame.containsKey("result") && frame.containsKey("id")) {
      return new BinanceFrame.Reply(idOf(frame), frame.get("result").toString());
    }
    String stream = frame.getString("stream", null);
    JsonObject data = frame;
    if (stream != null && frame.get("data") instanceof JsonObject inner) {
      data = inner; // combined stream envelope {"stream":..,"data":..}
    }
    String type = data.getString("e", null);
    if ("serverShutdown".equals(type)) {
      return new BinanceFrame.ServerShutdown(longOf(data, "E"));
    }
    if ("trade".equals(type)) {
      return trade(stream, data);
    }
    if ("kline".equals(type)) {
      return kline(stream, data);
    }
    if (type == null && data.containsKey("u") && data.containsKey("b") && data.containsKey("a")) {
      return bookTicker(stream, data, receivedAt);
    }
    return new BinanceFrame.Ignored("unused event " + (type == null ? "without type" : type));
  }

  private BinanceFrame trade(String stream, JsonObject data) {
    Optional<String> symbol = symbols.toGateway(data.getString("s"));
    if (symbol.isEmpty()) {
      return unmapped(data);
    }
    long id = longOf(data, "t");
    String takerSide = data.getBoolean("m", false) ? "S" : "B";
    MarketEvent trade = new CryptoTrade(symbol.get(), id, number(data, "p"), number(data, "q"),
        Instant.ofEpochMilli(longOf(data, "T")), takerSide);
    return data(stream, trade, "t:" + symbol.get(), id);
  }

  private BinanceFrame bookTicker(String stream, JsonObject data, Instant receivedAt) {
    Optional<String> symbol = symbols.toGateway(data.getString("s"));
    if (symbol.isEmpty()) {
      return unmapped(data);
    }
    MarketEvent quote = new CryptoQuote(symbol.get(), number(data, "b"), number(data, "B"),
        number(data, "a"), number(data, "A"), receivedAt);
    return data(stream, quote, "q:" + symbol.get(), longOf(data, "u"));
  }

  private BinanceFrame kline(String stream, JsonObject data) {
    JsonObject k = data.getJsonObject("k");
    Optional<String> symbol = symbols.toGateway(k.getString("s", data.getString("s")));
    if (symbol.isEmpty()) {
      return unmapped(data);
    }
    if (!"1m".equals(k.getString("i", "")) || !k.getBoolean("x", false)) {
      return new BinanceFrame.Data(stream, List.of()); // open or not a minute: no bar yet
    }
    double volume = number(k, "v");
    double close = number(k, "c");
    double vwap = volume > 0 ? number(k, "q") / volume : close;
    long openTime = longOf(k, "t");
    MarketEvent bar = new CryptoBar(Bar.Kind.MINUTE, symbol.get(), number(k, "o"), number(k, "h"),
        number(k, "l"), close, volume, longOf(k, "n"), vwap, Instant.ofEpochMilli(openTime));
    return data(stream, bar, "b:" + symbol.get(), openTime);
  }

  private static BinanceFrame data(String stream, MarketEvent event, String key, long sequence) {
    return new BinanceFrame.Data(stream, List.of(new BinanceFrame.Normalized(event, key, sequence)));
  }

  private static BinanceFrame unmapped(JsonObject data) {
    return new BinanceFrame.Ignored("no configured quote asset ends " + data.getString("s", "?"));
  }

  /** Binance sends prices and quantities as strings; tolerate numbers too. */
  private static double number(JsonObject object, String key) {
    JsonValue value = object.get(key);
    if (value instanceof JsonString s) {
      return Double.parseDouble(s.getString());
    }
    return ((JsonNumber) value).doubleValue();
  }

  private static long longOf(JsonObject object, String key) {
    return object.getJsonNumber(key).longValueExact();
  }

  private static String idOf(JsonObject frame) {
    JsonValue id = frame.get("id");
    return id == null ? "null" : id.toString();
  }
}
