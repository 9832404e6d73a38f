package io.tickrelay.trading;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** A message a trading-stream client sends: authenticate or listen (see package docs). */
sealed interface TradingRequest {

  /** Both spellings: {@code authenticate} with {@code data.key_id/secret_key}, or {@code auth}. */
  record Authenticate(String key, String secret) implements TradingRequest {
    @Override
    public String toString() {
      return "Authenticate[key=" + key + "]"; // never the secret
    }
  }

  /** The complete set of streams the client wants from now on. */
  record Listen(List<String> streams) implements TradingRequest {
    public Listen {
      streams = List.copyOf(streams);
    }
  }

  /** A message the protocol does not allow; its text is safe to send back. */
  final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  JsonProvider JSON = JsonProvider.provider();

  static TradingRequest parse(String text) throws Malformed {
    JsonObject message;
    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new Malformed("invalid syntax");
      }
      message = value.asJsonObject();
    } catch (RuntimeException e) {
      // not only JsonException: Parsson throws a bare RuntimeException past 1000 nesting levels and
      // NumberFormatException for an exponent beyond int range (as protocol.JsonCodec.parse)
      throw new Malformed("invalid syntax");
    }
    String action = string(message, "action");
    if (action == null) {
      throw new Malformed("missing action");
    }
    JsonObject data = object(message, "data");
    return switch (action) {
      case "authenticate" -> authenticate(data == null ? null : string(data, "key_id"),
          data == null ? null : string(data, "secret_key"));
      case "auth" -> authenticate(string(message, "key"), string(message, "secret"));
      case "listen" -> listen(data);
      default -> throw new Malformed("unrecognized action");
    };
  }

  private static Authenticate authenticate(String key, String secret) throws Malformed {
    if (key == null || secret == null) {
      throw new Malformed("missing key or secret");
    }
    return new Authenticate(key, secret);
  }

  private static Listen listen(JsonObject data) throws Malformed {
    JsonValue streams = data == null ? null : data.get("streams");
    if (streams == null || streams.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new Malformed("listen needs data.streams");
    }
    List<String> names = new ArrayList<>();
    for (JsonValue stream : (JsonArray) streams) {
      if (!(stream instanceof JsonString name)) {
        throw new Malformed("stream names must be strings");
      }
      names.add(name.getString());
    }
    return new Listen(names);
  }

  private static String string(JsonObject object, String name) {
    return object.get(name) instanceof JsonString s ? s.getString() : null;
  }

  private static JsonObject object(JsonObject object, String name) {
    JsonValue value = object.get(name);
    return value != null && value.getValueType() == JsonValue.ValueType.OBJECT
        ? value.asJsonObject()
        : null;
  }
}
