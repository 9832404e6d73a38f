package io.tickrelay.simulator;

import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The simulator's Alpaca market-data REST API over {@link SimulatedHistory}, container-free:
 * {@code GET /v2/stocks/trades|bars} (APCA key headers checked, 401 without, 403 wrong) and
 * {@code GET /v1beta3/crypto/{loc}/trades|bars} (public), with Alpaca's parameters ({@code
 * symbols}, inclusive {@code start}/{@code end}, {@code limit} 1-10000, {@code page_token}) and
 * shapes: records grouped by symbol, symbols in order, each in time order, and a {@code
 * next_page_token} while more remain (docs.alpaca.markets, Market Data API, historical trades
 * and bars).
 */
public final class SimulatedHistoryApi {

  /** An answer: HTTP status and JSON body. */
  public record Answer(int status, String body) {}

  static final int MAX_LIMIT = 10_000;
  static final int DEFAULT_LIMIT = 1000;

  private final SimulatedHistory history;
  private final Credential account;

  public SimulatedHistoryApi(SimulatedHistory history, Credential account) {
    this.history = history;
    this.account = account;
  }

  /**
   * Answers a GET of {@code path} (below the data URL) with {@code parameters}; {@code headers}
   * looks a request header up by name.
   */
  public Answer get(String path, Function<String, String> parameters, Function<String, String> headers) {
    String[] parts = path.split("/");
    boolean stocks = parts.length == 4 && parts[1].equals("v2") && parts[2].equals("stocks");
    boolean crypto = parts.length == 5 && parts[1].equals("v1beta3") && parts[2].equals("crypto")
        && SimulatorSettings.ALPACA_CRYPTO_LOCATIONS.contains(parts[3]);
    String what = parts.length > 0 ? parts[parts.length - 1] : "";
    if (!(stocks || crypto) || !(what.equals("trades") || what.equals("bars"))) {
      return error(404, "not found");
    }
    if (stocks) {
      String key = headers.apply("APCA-API-KEY-ID");
      String secret = headers.apply("APCA-API-SECRET-KEY");
      if (key == null || secret == null) {
        return error(401, "unauthorized.");
      }
      if (!account.key().equals(key) || !account.secretMatches(secret)) {
        return error(403, "forbidden.");
      }
    }
    SimulatedHistory.Kind kind = what.equals("trades") ? SimulatedHistory.Kind.TRADES : SimulatedHistory.Kind.BARS;
    if (kind == SimulatedHistory.Kind.BARS && !"1Min".equals(parameters.apply("timeframe"))) {
      return error(400, "the simulator keeps 1Min bars only");
    }
    try {
      return page(kind, what, parameters);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return error(400, "invalid query: " + e.getMessage());
    }
  }

  private Answer page(SimulatedHistory.Kind kind, String field, Function<String, String> parameters) {
    String symbolList = parameters.apply("symbols");
    if (symbolList == null || symbolList.isBlank()) {
      throw new IllegalArgumentException("symbols is required");
    }
    TreeSet<String> symbols = new TreeSet<>(List.of(symbolList.split(",")));
    Instant start = time(parameters.apply("start"), Instant.EPOCH);
    Instant end = time(parameters.apply("end"), Instant.now());
    int limit = Optional.ofNullable(parameters.apply("limit")).map(Integer::parseInt).orElse(DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
    }
    Optional<String[]> token = Optional.ofNullable(parameters.apply("page_token")).map(SimulatedHistoryApi::untoken);
    StringWriter text = new StringWriter();
    try (JsonGenerator json = Json.createGenerator(text)) {
      json.writeStartObject().writeStartObject(field);
      int left = limit;
      String next = null;
      List<String> ordered = List.copyOf(token.map(t -> symbols.tailSet(t[0], true)).orElse(symbols));
      for (int i = 0; i < ordered.size() && next == null; i++) {
        String symbol = ordered.get(i);
        long after = token.filter(t -> t[0].equals(symbol)).map(t -> Long.parseLong(t[1])).orElse(0L);
        if (left == 0) {
          // the page is full: another page only if this symbol has something left
          if (!history.of(kind, symbol, start, end, after, 1).isEmpty()) {
            next = token(symbol, after);
          }
          continue;
        }
        // one more than fits tells whether this symbol goes on on the next page
        List<SimulatedHistory.Entry> found = history.of(kind, symbol, start, end, after, left + 1);
        if (found.isEmpty()) {
          continue;
        }
        List<SimulatedHistory.Entry> written = found.subList(0, Math.min(left, found.size()));
        json.writeStartArray(symbol);
        written.forEach(entry -> write(json, entry.event()));
        json.writeEnd();
        left -= written.size();
        if (found.size() > written.size()) {
          next = token(symbol, written.get(written.size() - 1).seq());
        }
      }
      json.writeEnd();
      if (next == null) {
        json.writeNull("next_page_token");
      } else {
        json.write("next_page_token", next);
      }
      json.writeEnd();
    }
    return new Answer(200, text.toString());
  }

  private static void write(JsonGenerator json, MarketEvent event) {
    json.writeStartObject().write("t", event.timestamp().toString());
    if (event instanceof Trade trade) {
      json.write("x", trade.exchange()).write("p", trade.price()).write("s", trade.size());
      json.writeStartArray("c");
      trade.conditions().forEach(json::write);
      json.writeEnd().write("i", trade.id()).write("z", trade.tape());
    } else if (event instanceof CryptoTrade trade) {
      json.write("p", trade.price()).write("s", trade.size()).write("tks", trade.takerSide()).write("i", trade.id());
    } else if (event instanceof Bar bar) {
      json.write("o", bar.open()).write("h", bar.high()).write("l", bar.low()).write("c", bar.close())
          .write("v", bar.volume()).write("n", bar.tradeCount()).write("vw", bar.vwap());
    } else if (event instanceof CryptoBar bar) {
      json.write("o", bar.open()).write("h", bar.high()).write("l", bar.low()).write("c", bar.close())
          .write("v", bar.volume()).write("n", bar.tradeCount()).write("vw", bar.vwap());
    }
    json.writeEnd();
  }

  private static Instant time(String text, Instant otherwise) {
    return text == null || text.isBlank() ? otherwise : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
  }

  /** An opaque token like Alpaca's (base64 of where the next page starts). */
  private static String token(String symbol, long afterSeq) {
    return Base64.getEncoder().encodeToString((symbol + "|" + afterSeq).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] untoken(String token) {
    String[] parts = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
    if (parts.length != 2) {
      throw new IllegalArgumentException("invalid page_token");
    }
    Long.parseLong(parts[1]);
    return parts;
  }

  private static Answer error(int status, String message) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = Json.createGenerator(text)) {
      json.writeStartObject().write("message", message).writeEnd();
    }
    return new Answer(status, text.toString());
  }

  /** Header lookup over a map of lists, case-insensitive as HTTP's are. */
  public static Function<String, String> headersOf(Map<String, List<String>> headers) {
    return name -> headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
        .map(e -> e.getValue().get(0)).findFirst().orElse(null);
  }
}
