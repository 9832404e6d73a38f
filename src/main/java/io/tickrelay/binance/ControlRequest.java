package io.tickrelay.binance;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A client's live control message as the Binance simulator reads it (upstream-protocols.md §2.2):
 * {@code {"method":..,"params":[..],"id":..}}, or the exact error Binance answers a bad one with.
 */
record ControlRequest(String method, List<JsonValue> params, String id) {

  static final JsonProvider JSON = JsonProvider.provider();
  private static final Pattern STRING_ID = Pattern.compile("[A-Za-z0-9]{1,36}");
  private static final List<String> METHODS =
      List.of("SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY");

  /** A request Binance refuses: the reply to send. */
  static final class Refused extends Exception {
    final String reply;

    Refused(int code, String message, String id) {
      super(message, null, false, false);
      this.reply = error(code, message, id);
    }
  }

  static ControlRequest parse(String text) throws Refused {
    JsonValue value;
    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
      value = reader.readValue();
    } catch (RuntimeException e) { // Parsson: also bare RuntimeException (nesting), NumberFormatException

      throw new Refused(3, "Invalid JSON: expected value at line 1 column 1", "null");
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new Refused(2, "Invalid request: missing field `method` at line 1 column " + text.length(), "null");
    }
    JsonObject object = value.asJsonObject();
    String id = id(object.get("id"));
    JsonValue method = object.get("method");
    if (method == null) {
      throw new Refused(2, "Invalid request: missing field `method` at line 1 column " + text.length(), id);
    }
    String name = method instanceof JsonString s ? s.getString() : method.toString();
    if (!METHODS.contains(name)) {
      throw new Refused(2, "Invalid request: unknown variant " + name + ", expected one of `SUBSCRIBE`,"
          + " `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28", id);
    }
    List<JsonValue> params = new ArrayList<>();
    JsonValue raw = object.get("params");
    if (raw instanceof JsonArray array) {
      params.addAll(array);
    } else if (raw != null && raw != JsonValue.NULL) {
      throw new Refused(2, "Invalid request: invalid type: params must be an array", id);
    }
    return new ControlRequest(name, params, id);
  }

  /** The id as JSON text; Binance takes a 64-bit integer, a short alphanumeric string or null. */
  private static String id(JsonValue id) throws Refused {
    if (id == null) {
      throw new Refused(2, "Invalid request: request ID must be an unsigned integer", "null");
    }
    if (id == JsonValue.NULL) {
      return "null";
    }
    if (id instanceof JsonNumber n && n.isIntegral()) {
      try {
        return Long.toString(n.longValueExact());
      } catch (ArithmeticException e) {
        throw new Refused(2, "Invalid request: request ID must be an unsigned integer", "null");
      }
    }
    if (id instanceof JsonString s && STRING_ID.matcher(s.getString()).matches()) {
      return s.toString();
    }
    throw new Refused(2, "Invalid request: request ID must be an unsigned integer", "null");
  }

  static String error(int code, String message, String id) {
    return "{\"error\":{\"code\":" + code + ",\"msg\":" + JSON.createValue(message) + "},\"id\":" + id + "}";
  }

  static String result(String resultJson, String id) {
    return "{\"result\":" + resultJson + ",\"id\":" + id + "}";
  }
}
