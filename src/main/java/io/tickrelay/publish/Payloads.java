package io.tickrelay.publish;

import io.tickrelay.marketdata.Published;
import jakarta.json.JsonArray;
import jakarta.json.JsonConfig;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a request body into the events it publishes, or refuses it whole: UTF-8, one JSON object or
 * a non-empty array of objects, no repeated keys, nested at most {@link #MAX_DEPTH} deep. Each
 * event's JSON is re-written compactly, so what clients receive is always well-formed.
 */
final class Payloads {

  static final Pattern CHANNEL = Published.CHANNEL_NAME;

  /** Deep enough for any event document; shallow enough for every client's decoder. */
  static final int MAX_DEPTH = 32;

  // KeyStrategy NONE: a repeated key is an error (JSON-P 2.1), not silently the first or the last
  private static final JsonReaderFactory READERS =
      JsonProvider.provider()
          .createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));

  private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

  private Payloads() {}

  static void checkChannel(String channel) throws PublishRefused {
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new PublishRefused(400, "channel name must match " + CHANNEL.pattern());
    }
  }

  /** The JSON text of each event the body publishes, in order. */
  static List<String> events(byte[] body) throws PublishRefused {
    JsonValue value = parse(utf8(body));
    List<JsonObject> objects = new ArrayList<>();
    if (value instanceof JsonObject object) {
      objects.add(object);
    } else if (value instanceof JsonArray array && !array.isEmpty()) {
      for (JsonValue element : array) {
        if (!(element instanceof JsonObject object)) {
          throw new PublishRefused(400, "every element of the array must be a JSON object");
        }
        objects.add(object);
      }
    } else {
      throw new PublishRefused(400, "body must be a JSON object or a non-empty array of objects");
    }
    List<String> events = new ArrayList<>(objects.size());
    for (JsonObject object : objects) {
      checkDepth(object, 1);
      events.add(object.toString());
    }
    return events;
  }

  private static String utf8(byte[] body) throws PublishRefused {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      throw new PublishRefused(400, "body is not UTF-8");
    }
  }

  private static JsonValue parse(String text) throws PublishRefused {
    try {
      checkOneDocument(text);
      try (JsonReader reader = READERS.createReader(new StringReader(text))) {
        return reader.readValue();
      }
    } catch (RuntimeException malformed) {
      // JsonException for syntax and repeated keys; Parsson also throws plain RuntimeExceptions
      // (nesting past its limit, numbers past its size limits), see protocol.JsonCodec.parse
      throw new PublishRefused(400, "body is not well-formed JSON");
    }
  }

  /**
   * JsonReader stops after the first value, so {@code {} {}} would pass it; and JsonParser ignores
   * the key strategy. Hence a streaming pass for "exactly one document", then the reader.
   */
  private static void checkOneDocument(String text) throws PublishRefused {
    try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
      // not skipObject/skipArray: Parsson 1.1's skip loops forever on an unterminated document
      int depth = 0;
      do {
        JsonParser.Event event = parser.next();
        if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
          depth++;
        } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
          depth--;
        }
      } while (depth > 0);
      if (parser.hasNext()) {
        throw new PublishRefused(400, "body is not well-formed JSON");
      }
    }
  }

  /** {@code depth} counts objects and arrays: the event's own object is 1. */
  private static void checkDepth(JsonValue value, int depth) throws PublishRefused {
    if (depth > MAX_DEPTH && (value instanceof JsonObject || value instanceof JsonArray)) {
      throw new PublishRefused(400, "payload nested deeper than " + MAX_DEPTH);
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, JsonValue> member : object.entrySet()) {
        checkUnicode(member.getKey());
        checkDepth(member.getValue(), depth + 1);
      }
    } else if (value instanceof JsonArray array) {
      for (JsonValue element : array) {
        checkDepth(element, depth + 1);
      }
    } else if (value instanceof JsonNumber number) {
      checkNumber(number);
    } else if (value instanceof JsonString string) {
      checkUnicode(string.getString());
    }
  }

  /**
   * A JSON escape can spell half a surrogate pair, which no UTF-8 or msgpack string can carry:
   * refused rather than turned into {@code ?} on the way out.
   */
  private static void checkUnicode(String text) throws PublishRefused {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new PublishRefused(400, "string with an unpaired surrogate (\\u" + Integer.toHexString(c) + ")");
      }
    }
  }

  /** Converting to msgpack later reads every number; a number the parser cannot hold fails here. */
  private static void checkNumber(JsonNumber number) throws PublishRefused {
    try {
      if (number.isIntegral()) {
        number.bigIntegerValue();
      } else {
        number.doubleValue();
      }
    } catch (RuntimeException unreadable) {
      throw new PublishRefused(400, "number out of range");
    }
  }
}
