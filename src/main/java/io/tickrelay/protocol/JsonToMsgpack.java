package io.tickrelay.protocol;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Map;
import org.msgpack.core.MessagePacker;

/**
 * Converts a JSON payload to the msgpack value a msgpack client expects: objects as maps in their
 * key order, integers as msgpack integers while they fit 64 bits (uint64 included), every other
 * number as float64, which is as close as msgpack gets (docs/PROTOCOL.md, x-event).
 */
final class JsonToMsgpack {

  private static final JsonProvider JSON = JsonProvider.provider();
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private JsonToMsgpack() {}

  /** {@code json} was validated when it was published; a malformed one is a caller's bug. */
  static void pack(MessagePacker packer, String json) throws IOException {
    JsonValue value;
    try (JsonReader reader = JSON.createReader(new StringReader(json))) {
      value = reader.readValue();
    }
    pack(packer, value);
  }

  private static void pack(MessagePacker packer, JsonValue value) throws IOException {
    switch (value.getValueType()) {
      case OBJECT -> {
        JsonObject object = (JsonObject) value;
        packer.packMapHeader(object.size());
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
          packer.packString(entry.getKey());
          pack(packer, entry.getValue());
        }
      }
      case ARRAY -> {
        JsonArray array = (JsonArray) value;
        packer.packArrayHeader(array.size());
        for (JsonValue element : array) {
          pack(packer, element);
        }
      }
      case STRING -> packer.packString(((JsonString) value).getString());
      case NUMBER -> packNumber(packer, (JsonNumber) value);
      case TRUE -> packer.packBoolean(true);
      case FALSE -> packer.packBoolean(false);
      case NULL -> packer.packNil();
    }
  }

  private static void packNumber(MessagePacker packer, JsonNumber number) throws IOException {
    if (number.isIntegral()) {
      BigInteger integer = number.bigIntegerValue();
      if (integer.bitLength() <= 63) {
        packer.packLong(integer.longValue());
        return;
      }
      if (integer.signum() > 0 && integer.compareTo(UINT64_MAX) <= 0) {
        packer.packBigInteger(integer);
        return;
      }
    }
    packer.packDouble(number.doubleValue());
  }
}
