package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.PassThrough;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * A data message of a type the gateway does not model goes out as it came in: the same fields in
 * the same order, integers as integers, decimals as decimals, {@code t} as the timestamp extension
 * for msgpack clients.
 */
class PassThroughMessagesTest {

  private static final JsonCodec JSON = JsonCodec.INSTANCE;
  private static final WireCodec MSGPACK = WireFormat.MSGPACK.codec();

  /**
   * Shaped like crypto perps pricing (upstream-protocols.md §1.5, {@code T:"p"}) with every kind of
   * value a future type could carry: 2^64 (beyond int64), a decimal that is a whole number, nested
   * objects and arrays, booleans and null.
   */
  private static final String ELEMENT =
      "{\"T\":\"p\",\"S\":\"BTC-PERP\",\"x\":\"CB\",\"ip\":50000.5,\"mp\":100.0,\"fr\":-0.0125,"
          + "\"oi\":12345,\"big\":18446744073709551616,\"t\":\"2025-01-01T00:00:00.123456789Z\","
          + "\"ft\":\"2025-01-01T08:00:00Z\",\"flags\":[true,false,null],\"n\":{\"a\":1,\"b\":\"x\"}}";

  private static PassThrough read(String frame, AssetClass assetClass) throws ProtocolException {
    List<ServerMessage> messages = JSON.decodeServer(frame, assetClass);
    return assertInstanceOf(PassThrough.class, ((ServerMessage.Data) messages.get(0)).event());
  }

  @Test
  void readsTypeSymbolTimeAndEveryFieldInOrder() throws ProtocolException {
    PassThrough p = read("[" + ELEMENT + "]", AssetClass.STOCKS);
    assertEquals("p", p.type());
    assertEquals("BTC-PERP", p.symbol());
    assertEquals(Instant.parse("2025-01-01T00:00:00.123456789Z"), p.timestamp());
    assertEquals(List.of("S", "x", "ip", "mp", "fr", "oi", "big", "t", "ft", "flags", "n"),
        new ArrayList<>(p.fields().keySet()));
    assertEquals(new BigInteger("18446744073709551616"), p.fields().get("big"));
    assertNull(p.channel(), "no one channel: routed by symbol");
  }

  @Test
  void jsonClientsGetTheElementByteForByteOnStocksAndCrypto() throws ProtocolException {
    for (AssetClass assetClass : AssetClass.values()) {
      PassThrough p = read("[" + ELEMENT + "]", assetClass);
      assertEquals(ELEMENT, new String(JSON.event(p), StandardCharsets.UTF_8), assetClass.name());
    }
  }

  @Test
  void sequencedItCarriesXSeqLast() throws ProtocolException {
    PassThrough p = read("[" + ELEMENT + "]", AssetClass.STOCKS);
    String sequenced =
        new String(GatewayMessages.event(WireFormat.JSON, p, 9), StandardCharsets.UTF_8);
    assertEquals(ELEMENT.substring(0, ELEMENT.length() - 1) + ",\"x-seq\":9}", sequenced);
  }

  @Test
  void msgpackClientsGetTFirstTheTimestampExtensionAndNaturalTypes() throws Exception {
    PassThrough p = read("[" + ELEMENT + "]", AssetClass.CRYPTO);
    Map<Value, Value> map;
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(MSGPACK.event(p))) {
      map = in.unpackValue().asMapValue().map();
    }
    List<String> keys = map.keySet().stream().map(k -> k.asStringValue().asString()).toList();
    assertEquals(List.of("T", "S", "x", "ip", "mp", "fr", "oi", "big", "t", "ft", "flags", "n"), keys);
    Value t = value(map, "t");
    assertTrue(t.isExtensionValue() && t.asExtensionValue().getType() == -1, "ext -1: " + t);
    assertEquals(p.timestamp(), t.asTimestampValue().toInstant());
    assertTrue(value(map, "ft").isStringValue(), "only t is a timestamp by name");
    assertEquals(12345, value(map, "oi").asIntegerValue().toLong());
    assertTrue(value(map, "mp").isFloatValue(), "a decimal stays a decimal");
    assertTrue(value(map, "big").isFloatValue(), "beyond uint64 float64 is as close as msgpack gets");
    assertEquals("[true,false,null]", value(map, "flags").toJson());
    assertEquals("{\"a\":1,\"b\":\"x\"}", value(map, "n").toJson());
  }

  private static Value value(Map<Value, Value> map, String key) {
    return map.entrySet().stream()
        .filter(e -> e.getKey().asStringValue().asString().equals(key))
        .findFirst().orElseThrow().getValue();
  }

  @Test
  void aTThatIsNoTimestampAndAMissingSymbolStayAsSent() throws ProtocolException {
    String element = "{\"T\":\"future\",\"t\":\"soon\",\"v\":1}";
    PassThrough p = read("[" + element + "]", AssetClass.STOCKS);
    assertEquals("", p.symbol());
    assertNull(p.timestamp());
    assertEquals(element, new String(JSON.event(p), StandardCharsets.UTF_8));
    Map<?, ?> packed = (Map<?, ?>) MsgpackCodec.parse(MSGPACK.event(p));
    assertEquals("soon", packed.get("t"));
  }

  @Test
  void anElementReadFromMsgpackGoesToJsonClientsWithRfc3339Times() throws Exception {
    Instant at = Instant.parse("2025-01-01T00:00:00.5Z");
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packArrayHeader(1).packMapHeader(4)
        .packString("T").packString("n2").packString("S").packString("AAPL")
        .packString("t").packTimestamp(at).packString("uint64").packBigInteger(
            new BigInteger("18446744073709551615"));
    List<ServerMessage> messages = MSGPACK.decodeServer(packer.toByteArray());
    PassThrough p = assertInstanceOf(PassThrough.class, ((ServerMessage.Data) messages.get(0)).event());
    assertEquals(at, p.timestamp());
    assertEquals(
        "{\"T\":\"n2\",\"S\":\"AAPL\",\"t\":\"2025-01-01T00:00:00.500Z\",\"uint64\":18446744073709551615}",
        new String(JSON.event(p), StandardCharsets.UTF_8));
  }
  /** A field value nested {@code levels} arrays deep around 1, built without recursion. */
  private static Object nested(int levels) {
    Object value = 1L;
    for (int i = 0; i < levels; i++) {
      value = List.of(value);
    }
    return value;
  }

  private static PassThrough deep(int levels) {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("S", "NVDA");
    fields.put("v", nested(levels));
    return new PassThrough("zz", "NVDA", null, fields);
  }

  /**
   * The encoders take any depth they are given: a fixed 32-level comma stack used to throw
   * ArrayIndexOutOfBoundsException on the fan-out thread past 31 levels, and a recursive value
   * writer would overflow the stack at 100,000.
   */
  @Test
  void anyNestingDepthEncodesForJsonAndMsgpackClients() throws Exception {
    for (int levels : new int[] {31, 40, 1000, 100_000}) {
      String json = new String(JSON.event(deep(levels)), StandardCharsets.UTF_8);
      String expected = "{\"T\":\"zz\",\"S\":\"NVDA\",\"v\":"
          + "[".repeat(levels) + "1" + "]".repeat(levels) + "}";
      assertEquals(expected, json, "JSON at " + levels);
      byte[] packed = MSGPACK.event(deep(levels));
      int at = packed.length - levels - 1; // each one-element array is fixarray 0x91, then fixint 1
      for (int i = 0; i < levels; i++) {
        assertEquals((byte) 0x91, packed[at + i], "msgpack array header " + i + " at " + levels);
      }
      assertEquals(1, packed[packed.length - 1], "msgpack at " + levels);
      String sequenced =
          new String(GatewayMessages.event(WireFormat.JSON, deep(levels), 3), StandardCharsets.UTF_8);
      assertTrue(sequenced.endsWith("]".repeat(levels) + ",\"x-seq\":3}"), "x-seq at " + levels);
    }
  }

  private static String deepElement(int depth) {
    // the element's own object is level 1, so depth - 1 arrays in its field
    return "{\"T\":\"zz\",\"S\":\"NVDA\",\"v\":" + "[".repeat(depth - 1) + "1"
        + "]".repeat(depth - 1) + "}";
  }

  private static final String TRADE =
      "{\"T\":\"t\",\"S\":\"NVDA\",\"i\":7,\"x\":\"V\",\"p\":120.5,\"s\":10,"
          + "\"t\":\"2025-01-01T00:00:00Z\",\"c\":[\"@\"],\"z\":\"C\"}";

  @Test
  void anUpstreamElementNestedBeyondTheLimitIsRefusedAloneAtParseTime() throws ProtocolException {
    int limit = PassThroughMessages.MAX_DEPTH;
    for (int depth : new int[] {limit + 1, 40, 900}) {
      List<ServerMessage> messages =
          JSON.decodeServer("[" + TRADE + "," + deepElement(depth) + "," + TRADE + "]");
      assertEquals(3, messages.size(), "depth " + depth);
      assertInstanceOf(ServerMessage.Data.class, messages.get(0));
      assertEquals(new ServerMessage.TooDeep("zz"), messages.get(1), "depth " + depth);
      assertInstanceOf(ServerMessage.Data.class, messages.get(2), "the rest of the frame is kept");
    }
    PassThrough atLimit = read("[" + deepElement(limit) + "]", AssetClass.STOCKS);
    assertEquals(deepElement(limit), new String(JSON.event(atLimit), StandardCharsets.UTF_8));
  }
}
