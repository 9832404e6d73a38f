package io.tickrelay.trading;

import io.tickrelay.marketdata.TradeUpdate;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of the trading-stream protocol: the frames a server sends, encoded once as JSON
 * bytes, and decoded again by the gateway's upstream (package docs list the shapes and sources).
 */
final class TradingFrames {

  static final String TRADE_UPDATES = "trade_updates";
  static final String AUTHORIZED = "authorized";
  static final String UNAUTHORIZED = "unauthorized";

  private static final JsonProvider JSON = JsonProvider.provider();

  private TradingFrames() {}

  /** What an upstream frame said. */
  sealed interface Received {}

  record Authorization(String status, String action) implements Received {}

  record Listening(List<String> streams) implements Received {}

  record Update(TradeUpdate update) implements Received {}

  record Failure(String message) implements Received {}

  /** A frame of a stream the gateway does not relay; ignored, as the SDKs do. */
  record Other(String stream) implements Received {}

  static byte[] authorization(String status, String action) {
    return bytes(JSON.createObjectBuilder()
        .add("stream", "authorization")
        .add("data", JSON.createObjectBuilder().add("status", status).add("action", action))
        .build());
  }

  static byte[] listening(List<String> streams) {
    JsonArrayBuilder names = JSON.createArrayBuilder();
    streams.forEach(names::add);
    return bytes(JSON.createObjectBuilder()
        .add("stream", "listening")
        .add("data", JSON.createObjectBuilder().add("streams", names))
        .build());
  }

  static byte[] error(String message) {
    return bytes(JSON.createObjectBuilder()
        .add("action", "error")
        .add("data", JSON.createObjectBuilder().add("error_message", message))
        .build());
  }

  /** The event as clients receive it; {@code json} is the upstream {@code data}, unchanged. */
  static byte[] update(TradeUpdate update) {
    return ("{\"stream\":\"" + TRADE_UPDATES + "\",\"data\":" + update.json() + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] authenticate(String key, String secret) {
    return bytes(JSON.createObjectBuilder()
        .add("action", "authenticate")
        .add("data", JSON.createObjectBuilder().add("key_id", key).add("secret_key", secret))
        .build());
  }

  static byte[] listen(List<String> streams) {
    JsonArrayBuilder names = JSON.createArrayBuilder();
    streams.forEach(names::add);
    return bytes(JSON.createObjectBuilder()
        .add("action", "listen")
        .add("data", JSON.createObjectBuilder().add("streams", names))
        .build());
  }

  /**
   * Decodes one server frame (text, or the bytes of a binary frame).
   *
   * @param receivedAt used when an event carries no {@code timestamp} ({@code new} has none)
   * @throws IllegalArgumentException if it is not a trading-stream frame
   */
  static Received decode(String text, Instant receivedAt) {
    JsonObject message;
    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
      message = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonObject data = message.get("data") instanceof JsonObject d ? d : JsonValue.EMPTY_JSON_OBJECT;
    String stream = string(message, "stream");
    if (stream == null) {
      if ("error".equals(string(message, "action"))) {
        return new Failure(String.valueOf(string(data, "error_message")));
      }
      throw new IllegalArgumentException("frame without stream");
    }
    return switch (stream) {
      case "authorization" -> new Authorization(
          String.valueOf(string(data, "status")), String.valueOf(string(data, "action")));
      case "listening" -> new Listening(streams(data));
      case TRADE_UPDATES -> new Update(tradeUpdate(data, receivedAt));
      default -> new Other(stream);
    };
  }

  static TradeUpdate tradeUpdate(JsonObject data, Instant receivedAt) {
    String event = string(data, "event");
    if (event == null) {
      throw new IllegalArgumentException("trade update without event");
    }
    String symbol = data.get("order") instanceof JsonObject order ? string(order, "symbol") : null;
    return new TradeUpdate(symbol == null ? "" : symbol, event, instant(data, receivedAt),
        data.toString());
  }

  private static Instant instant(JsonObject data, Instant fallback) {
    String at = string(data, "timestamp");
    if (at == null) {
      at = string(data, "at");
    }
    if (at == null) {
      return fallback;
    }
    try {
      return java.time.OffsetDateTime.parse(at).toInstant();
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  private static List<String> streams(JsonObject data) {
    List<String> names = new ArrayList<>();
    if (data.get("streams") instanceof jakarta.json.JsonArray array) {
      for (JsonValue value : array) {
        if (value instanceof JsonString name) {
          names.add(name.getString());
        }
      }
    }
    return names;
  }

  private static String string(JsonObject object, String name) {
    return object.get(name) instanceof JsonString s ? s.getString() : null;
  }

  private static byte[] bytes(JsonObject object) {
    return object.toString().getBytes(StandardCharsets.UTF_8);
  }
}
