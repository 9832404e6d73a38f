package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Every stock message type Alpaca sends, through the real WAR from the fake upstream: the
 * examples of Alpaca's "Real-time Stock Data" page (status, LULD, imbalance, correction,
 * cancel/error), a type nobody models and a malformed element, reach a JSON and a msgpack client
 * subscribed to trades, statuses, lulds and imbalances with Alpaca's field names and types; a
 * client subscribed to other symbols gets none of them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MessageTypesIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";
  private static final List<String> SYMBOLS = List.of("AAPL", "IONM", "INAQU", "EEM", "GOOGL");
  private static final String SUBSCRIBE_ALL =
      "{\"action\":\"subscribe\",\"trades\":" + json(SYMBOLS) + ",\"statuses\":" + json(SYMBOLS)
          + ",\"lulds\":" + json(SYMBOLS) + ",\"imbalances\":" + json(SYMBOLS) + "}";
  private static final List<String> SECTIONS = List.of(
      "trading-status", "limit-up-limit-down", "order-imbalances", "trade-corrections",
      "trade-cancels-errors");
  /** A type Alpaca may add one day; it must pass through unchanged. */
  private static final String UNKNOWN =
      "{\"T\":\"z9\",\"S\":\"IONM\",\"k\":\"new\",\"n\":7,\"v\":1.5,\"t\":\"2023-04-06T13:34:46.5Z\"}";
  /** A status whose code is a number: malformed, dropped alone. */
  private static final String MALFORMED =
      "{\"T\":\"s\",\"S\":\"AAPL\",\"sc\":5,\"sm\":\"x\",\"rc\":\"x\",\"rm\":\"x\",\"t\":\"2021-02-22T19:16:00Z\",\"z\":\"C\"}";
  private static final String END_MARKER =
      "[{\"T\":\"t\",\"S\":\"MSFT\",\"i\":987654321,\"x\":\"V\",\"p\":415.2,\"s\":1,"
          + "\"t\":\"2021-02-22T19:17:00Z\",\"c\":[\"@\"],\"z\":\"C\"}]";

  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstreamWithGatewayConnected();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  private static String json(List<String> symbols) {
    return "[\"" + String.join("\",\"", symbols) + "\"]";
  }

  static String docElement(String section) throws IOException {
    String path = "/alpaca/real-time-stock-pricing-data/" + section + ".json";
    try (InputStream in = MessageTypesIT.class.getResourceAsStream(path)) {
      String frame = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return frame.substring(1, frame.length() - 1);
    }
  }

  private static JsonObject object(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  @Test
  void everyStockTypeReachesJsonAndMsgpackClientsAndAnUnknownTypePassesThrough() throws Exception {
    try (WsProbe plain = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"));
        WsProbe sdk = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"),
            Map.of("Content-Type", "application/msgpack"));
        WsProbe other = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/sip"))) {
      for (WsProbe json : List.of(plain, other)) {
        json.send(AUTH);
        json.awaitText("authenticated", WAIT);
      }
      plain.send(SUBSCRIBE_ALL);
      String ack = plain.awaitText("subscription", WAIT);
      assertTrue(ack.contains("\"corrections\":" + json(List.of("AAPL", "EEM", "GOOGL", "INAQU", "IONM"))), ack);
      other.send("{\"action\":\"subscribe\",\"trades\":[\"MSFT\"],\"statuses\":[\"MSFT\"],"
          + "\"lulds\":[\"MSFT\"],\"imbalances\":[\"MSFT\"]}");
      other.awaitText("subscription", WAIT);
      List<Value> sdkElements = msgpackClient(sdk);
      // the upstream is live for these symbols once the simulator's AAPL trades flow through
      plain.awaitText("\"S\":\"AAPL\"", WAIT);
      Await.until("the msgpack client's first AAPL trade", WAIT,
          () -> find(sdkElements, "t", "AAPL").isPresent());

      for (String section : SECTIONS) {
        upstream.sendRaw("[" + docElement(section) + "]");
      }
      upstream.sendRaw("[" + MALFORMED + "," + UNKNOWN + "]");
      upstream.sendRaw(END_MARKER);

      for (String section : SECTIONS) {
        JsonObject documented = object(docElement(section));
        String type = documented.getString("T");
        String symbol = documented.getString("S");
        JsonObject received = awaitJson(plain, type, symbol);
        assertSameMessage(documented, received);
        Map<String, Value> packed = awaitMsgpack(sdkElements, type, symbol);
        assertSameMessage(documented, packed);
      }
      JsonObject unknown = awaitJson(plain, "z9", "IONM");
      assertEquals(object(UNKNOWN), unknown, "passed through unchanged");
      Map<String, Value> unknownPacked = awaitMsgpack(sdkElements, "z9", "IONM");
      assertSameMessage(object(UNKNOWN), unknownPacked);

      other.awaitText("987654321", WAIT); // everything sent before it has been routed
      for (String frame : other.received()) {
        for (String symbol : SYMBOLS) {
          assertFalse(frame.contains("\"S\":\"" + symbol + "\""), "not subscribed: " + frame);
        }
      }
      for (String frame : plain.received()) {
        assertFalse(frame.contains("2021-02-22T19:16:00Z"), "the malformed element is dropped");
      }
    }
  }

  /** A msgpack client as the official SDKs are; the list fills with every element it receives. */
  private static List<Value> msgpackClient(WsProbe sdk) throws Exception {
    sdk.awaitBinary(f -> true, WAIT);
    sdk.send(pack("action", "auth", "key", "it-client", "secret", "it-client-secret"));
    sdk.awaitBinary(f -> f.length > 0, WAIT);
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packMapHeader(5).packString("action").packString("subscribe");
    for (String channel : List.of("trades", "statuses", "lulds", "imbalances")) {
      packer.packString(channel).packArrayHeader(SYMBOLS.size());
      for (String symbol : SYMBOLS) {
        packer.packString(symbol);
      }
    }
    sdk.send(packer.toByteArray());
    List<Value> elements = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try {
        while (true) {
          byte[] frame = sdk.awaitBinary(f -> true, Duration.ofMinutes(2));
          try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame)) {
            elements.addAll(in.unpackValue().asArrayValue().list());
          }
        }
      } catch (InterruptedException | IOException | AssertionError done) {
        // the probe closed or went quiet: the test is over
      }
    });
    reader.setDaemon(true);
    reader.start();
    return elements;
  }

  private static byte[] pack(String... keyValues) throws IOException {
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packMapHeader(keyValues.length / 2);
    for (String s : keyValues) {
      packer.packString(s);
    }
    return packer.toByteArray();
  }

  private static Optional<Map<String, Value>> find(List<Value> elements, String type, String symbol) {
    for (Value element : elements) {
      Map<String, Value> map = orderedMap(element);
      if (text(map.get("T")).equals(type) && text(map.get("S")).equals(symbol)) {
        return Optional.of(map);
      }
    }
    return Optional.empty();
  }

  private static String text(Value value) {
    return value != null && value.isStringValue() ? value.asStringValue().asString() : "";
  }

  private static Map<String, Value> orderedMap(Value element) {
    Map<String, Value> map = new java.util.LinkedHashMap<>();
    Value[] kv = element.asMapValue().getKeyValueArray();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i].asStringValue().asString(), kv[i + 1]);
    }
    return map;
  }

  private static Map<String, Value> awaitMsgpack(List<Value> elements, String type, String symbol) {
    Await.until("msgpack " + type + " " + symbol, WAIT, () -> find(elements, type, symbol).isPresent());
    return find(elements, type, symbol).orElseThrow();
  }

  private static JsonObject awaitJson(WsProbe probe, String type, String symbol) throws Exception {
    Await.until("JSON " + type + " " + symbol, WAIT, () -> findJson(probe, type, symbol).isPresent());
    return findJson(probe, type, symbol).orElseThrow();
  }

  private static Optional<JsonObject> findJson(WsProbe probe, String type, String symbol) {
    for (String frame : probe.received()) {
      if (!frame.startsWith("[")) {
        continue;
      }
      try (JsonReader reader = Json.createReader(new StringReader(frame))) {
        for (JsonValue element : reader.readArray()) {
          JsonObject o = element.asJsonObject();
          if (type.equals(o.getString("T", "")) && symbol.equals(o.getString("S", ""))) {
            return Optional.of(o);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Same keys in the same order and the same values; {@code t} compared as an instant. */
  private static void assertSameMessage(JsonObject documented, JsonObject received) {
    assertEquals(new ArrayList<>(documented.keySet()), new ArrayList<>(received.keySet()), received.toString());
    for (String key : documented.keySet()) {
      if (key.equals("t")) {
        assertEquals(Instant.parse(documented.getString("t")), Instant.parse(received.getString("t")));
      } else {
        assertEquals(documented.get(key), received.get(key), key + " in " + received);
      }
    }
  }

  /** Same keys in order, T first, t the timestamp extension, each value of the documented type. */
  private static void assertSameMessage(JsonObject documented, Map<String, Value> packed) {
    assertEquals(new ArrayList<>(documented.keySet()), new ArrayList<>(packed.keySet()), packed.toString());
    for (String key : documented.keySet()) {
      JsonValue expected = documented.get(key);
      Value actual = packed.get(key);
      if (key.equals("t")) {
        assertTrue(actual.isExtensionValue() && actual.asExtensionValue().getType() == -1, "ext -1: " + actual);
        assertEquals(Instant.parse(documented.getString("t")), actual.asTimestampValue().toInstant());
      } else if (expected instanceof JsonNumber n && n.isIntegral()) {
        assertTrue(actual.isIntegerValue(), key + " is an integer: " + actual);
        assertEquals(n.longValueExact(), actual.asIntegerValue().toLong());
      } else if (expected instanceof JsonNumber n) {
        assertTrue(actual.isFloatValue(), key + " is a float: " + actual);
        assertEquals(n.doubleValue(), actual.asFloatValue().toDouble());
      } else if (expected instanceof JsonArray array) {
        assertTrue(actual.isArrayValue(), key + " is an array: " + actual);
        assertEquals(array.toString(), actual.toJson());
      } else {
        assertEquals(expected.toString(), actual.toJson(), key);
      }
    }
  }
}
