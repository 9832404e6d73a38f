package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Published;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;

/** The {@code x-event} message of a published event, in both wire formats (docs/PROTOCOL.md). */
class PublishedEncodingTest {

  private static final Instant AT = Instant.parse("2026-12-01T21:30:00.123456789Z");
  private static final String NESTED =
      "{\"side\":\"buy\",\"legs\":[{\"sym\":\"AAPL\",\"qty\":3},{\"sym\":\"MSFT\",\"qty\":-1.5}],"
          + "\"meta\":{\"ok\":true,\"none\":null,\"deep\":{\"deeper\":[[1],[]]}}}";

  private static Published event(String json) {
    return new Published("signals", "strategy-7", json, AT);
  }

  private static String json(Published event) {
    return new String(WireFormat.JSON.codec().event(event), StandardCharsets.UTF_8);
  }

  private static MapValue msgpack(byte[] bytes) throws IOException {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
      MapValue map = in.unpackValue().asMapValue();
      assertTrue(!in.hasNext(), "one value, nothing after it");
      return map;
    }
  }

  private static List<String> keys(MapValue map) {
    List<String> keys = new ArrayList<>();
    for (Value key : map.keySet()) {
      keys.add(key.asStringValue().asString());
    }
    return keys;
  }

  private static Value get(MapValue map, String key) {
    for (Map.Entry<Value, Value> entry : map.entrySet()) {
      if (entry.getKey().asStringValue().asString().equals(key)) {
        return entry.getValue();
      }
    }
    throw new AssertionError("no " + key + " in " + map);
  }

  @Test
  void jsonCarriesThePayloadAsPublished() {
    assertEquals(
        "{\"T\":\"x-event\",\"S\":\"signals\",\"p\":\"strategy-7\","
            + "\"t\":\"2026-12-01T21:30:00.123456789Z\",\"data\":" + NESTED + "}",
        json(event(NESTED)));
  }

  @Test
  void jsonKeepsUnicodeAndBigNumbersExactly() {
    String payload = "{\"note\":\"K\u00e4ufer \u4e70 \uD83D\uDE80 \\\"q\\\" \\u0001\","
        + "\"big\":123456789012345678901234567890,\"tiny\":1e-400,\"exact\":0.1000000000000000000001}";
    String frame = json(event(payload));
    assertTrue(frame.endsWith(",\"data\":" + payload + "}"), frame);
    JsonObject parsed = Json.createReader(new StringReader(frame)).readObject();
    assertEquals("K\u00e4ufer \u4e70 \uD83D\uDE80 \"q\" \u0001",
        parsed.getJsonObject("data").getString("note"));
    assertEquals(new BigInteger("123456789012345678901234567890"),
        parsed.getJsonObject("data").getJsonNumber("big").bigIntegerValueExact());
  }

  @Test
  void sequencedJsonPutsXSeqLast() {
    String frame = new String(
        GatewayMessages.event(WireFormat.JSON, event("{\"a\":1}"), 42), StandardCharsets.UTF_8);
    assertTrue(frame.startsWith("{\"T\":\"x-event\","), frame);
    assertTrue(frame.endsWith("\"data\":{\"a\":1},\"x-seq\":42}"), frame);
  }

  @Test
  void msgpackHasTFirstAndTheTimestampExtension() throws IOException {
    MapValue map = msgpack(WireFormat.MSGPACK.codec().event(event(NESTED)));
    assertEquals(List.of("T", "S", "p", "t", "data"), keys(map));
    assertEquals("x-event", get(map, "T").asStringValue().asString());
    assertEquals("signals", get(map, "S").asStringValue().asString());
    assertEquals("strategy-7", get(map, "p").asStringValue().asString());
    ExtensionValue t = get(map, "t").asExtensionValue();
    assertEquals(-1, t.getType());
    assertEquals(AT, t.asTimestampValue().toInstant());
  }

  @Test
  void msgpackConvertsANestedPayloadToMapsAndArraysInKeyOrder() throws IOException {
    MapValue data = get(msgpack(WireFormat.MSGPACK.codec().event(event(NESTED))), "data")
        .asMapValue();
    assertEquals(List.of("side", "legs", "meta"), keys(data));
    assertEquals("buy", get(data, "side").asStringValue().asString());
    MapValue firstLeg = get(data, "legs").asArrayValue().get(0).asMapValue();
    assertTrue(get(firstLeg, "qty").isIntegerValue(), "3 stays an integer");
    assertEquals(3, get(firstLeg, "qty").asIntegerValue().asLong());
    Value fractional = get(get(data, "legs").asArrayValue().get(1).asMapValue(), "qty");
    assertEquals(-1.5, fractional.asFloatValue().toDouble());
    MapValue meta = get(data, "meta").asMapValue();
    assertTrue(get(meta, "ok").asBooleanValue().getBoolean());
    assertTrue(get(meta, "none").isNilValue());
    Value deeper = get(get(meta, "deep").asMapValue(), "deeper");
    assertEquals(2, deeper.asArrayValue().size());
    assertEquals(1, deeper.asArrayValue().get(0).asArrayValue().get(0).asIntegerValue().asInt());
    assertEquals(0, deeper.asArrayValue().get(1).asArrayValue().size());
  }

  @Test
  void msgpackKeepsUnicodeStrings() throws IOException {
    MapValue data = get(msgpack(WireFormat.MSGPACK.codec().event(
        event("{\"note\":\"K\u00e4ufer \u4e70 \uD83D\uDE80\",\"\u00fc\":\"key\"}"))), "data")
        .asMapValue();
    assertEquals("K\u00e4ufer \u4e70 \uD83D\uDE80", get(data, "note").asStringValue().asString());
    assertEquals("key", get(data, "\u00fc").asStringValue().asString());
  }

  @Test
  void msgpackIntegersStayExactUpTo64BitsAndLargerNumbersBecomeFloats() throws IOException {
    MapValue data = get(msgpack(WireFormat.MSGPACK.codec().event(event(
        "{\"maxLong\":9223372036854775807,\"minLong\":-9223372036854775808,"
            + "\"maxUnsigned\":18446744073709551615,\"beyond\":18446744073709551616,"
            + "\"negativeBeyond\":-9223372036854775809,\"price\":187.1234,\"exp\":1E+3}"))), "data")
        .asMapValue();
    assertEquals(Long.MAX_VALUE, get(data, "maxLong").asIntegerValue().asLong());
    assertEquals(Long.MIN_VALUE, get(data, "minLong").asIntegerValue().asLong());
    assertEquals(new BigInteger("18446744073709551615"),
        get(data, "maxUnsigned").asIntegerValue().asBigInteger());
    assertEquals(1.8446744073709552E19, get(data, "beyond").asFloatValue().toDouble());
    assertEquals(-9.223372036854775809E18, get(data, "negativeBeyond").asFloatValue().toDouble());
    assertEquals(187.1234, get(data, "price").asFloatValue().toDouble());
    assertEquals(1000.0, get(data, "exp").asFloatValue().toDouble());
  }

  @Test
  void msgpackSequencedPutsXSeqLast() throws IOException {
    MapValue map = msgpack(GatewayMessages.event(WireFormat.MSGPACK, event("{\"a\":1}"), 7));
    assertEquals(List.of("T", "S", "p", "t", "data", "x-seq"), keys(map));
    assertEquals(7, get(map, "x-seq").asIntegerValue().asLong());
  }

  @Test
  void framesOfPublishedEventsAreWellFormedInBothFormats() throws IOException {
    List<byte[]> json = List.of(
        WireFormat.JSON.codec().event(event("{\"n\":1}")),
        WireFormat.JSON.codec().event(event("{\"n\":2}")));
    String frame = new String(WireFormat.JSON.codec().frame(json), StandardCharsets.UTF_8);
    assertEquals(2, Json.createReader(new StringReader(frame)).readArray().size());
    List<byte[]> packed = List.of(
        WireFormat.MSGPACK.codec().event(event("{\"n\":1}")),
        WireFormat.MSGPACK.codec().event(event("[1,2]")));
    try (MessageUnpacker in =
        MessagePack.newDefaultUnpacker(WireFormat.MSGPACK.codec().frame(packed))) {
      assertEquals(2, in.unpackValue().asArrayValue().size());
    }
  }
}
