package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
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
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Alpaca crypto end to end on a real Open Liberty, black box: clients on {@code /v1beta3/crypto/us}
 * get crypto trades and quotes in Alpaca's shapes (upstream-protocols.md §1.4, §1.5), in JSON and
 * in msgpack, relayed from the simulator's crypto stream through the gateway's one crypto upstream.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AlpacaCryptoIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final BigInteger TWO_TO_53 = BigInteger.ONE.shiftLeft(53);

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

  private static URI crypto(String location) {
    return URI.create("ws://localhost:" + PORT + "/v1beta3/crypto/" + location);
  }

  private static List<JsonObject> elements(String frame) {
    try (JsonReader reader = Json.createReader(new StringReader(frame))) {
      JsonArray array = reader.readArray();
      List<JsonObject> elements = new ArrayList<>();
      array.forEach(v -> elements.add(v.asJsonObject()));
      return elements;
    }
  }

  @Test
  void aJsonClientGetsCryptoTradesAndQuotesInAlpacasShapes() throws Exception {
    try (WsProbe client = WsProbe.connect(crypto("us"))) {
      client.awaitText("connected", WAIT);
      client.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}");
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"BTC/USD\"],\"quotes\":[\"BTC/USD\"]}");
      assertEquals(
          "[{\"T\":\"subscription\",\"trades\":[\"BTC/USD\"],\"quotes\":[\"BTC/USD\"],"
              + "\"orderbooks\":[],\"bars\":[],\"updatedBars\":[],\"dailyBars\":[]}]",
          client.awaitText("subscription", WAIT));
      Await.until("the gateway's crypto upstream to subscribe BTC/USD", WAIT,
          () -> upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).matches(Channel.TRADES, "BTC/USD"));

      boolean fractional = false;
      boolean quoted = false;
      for (int frames = 0; frames < 200 && !(fractional && quoted); frames++) {
        for (JsonObject element : elements(client.awaitText("\"S\":\"BTC/USD\"", WAIT))) {
          List<String> keys = new ArrayList<>(element.keySet());
          assertEquals("T", keys.get(0), "T first: " + element);
          assertEquals("BTC/USD", element.getString("S"));
          switch (element.getString("T")) {
            case "t" -> {
              assertEquals(List.of("T", "S", "p", "s", "t", "i", "tks"), keys, element.toString());
              assertTrue(element.getJsonNumber("i").isIntegral());
              assertTrue(element.getJsonNumber("i").bigIntegerValueExact().compareTo(TWO_TO_53) > 0,
                  "an int64 id above 2^53 kept exactly: " + element);
              assertTrue(List.of("B", "S").contains(element.getString("tks")));
              fractional |= !element.getJsonNumber("s").isIntegral();
            }
            case "q" -> {
              assertEquals(List.of("T", "S", "bp", "bs", "ap", "as", "t"), keys, element.toString());
              assertTrue(number(element, "bp") < number(element, "ap"), element.toString());
              quoted = true;
            }
            default -> throw new AssertionError("not asked for: " + element);
          }
          assertTrue(element.getString("t").endsWith("Z"), "RFC 3339 UTC: " + element);
        }
      }
      assertTrue(fractional, "crypto trades with fractional sizes");
      assertTrue(quoted, "crypto quotes");
    }
  }

  @Test
  void theEmbeddedSimulatorServesAlpacaCryptoItself() throws Exception {
    Map<String, String> headers =
        Map.of("APCA-API-KEY-ID", "simulator", "APCA-API-SECRET-KEY", "simulator");
    try (WsProbe sim = WsProbe.connect(
        URI.create("ws://localhost:" + PORT + "/simulator/v1beta3/crypto/us-1"), headers)) {
      sim.awaitText("authenticated", WAIT);
      sim.send("{\"action\":\"subscribe\",\"orderbooks\":[\"SOL/USD\"],\"statuses\":[\"SOL/USD\"]}");
      assertTrue(sim.awaitText("error", WAIT).contains("\"code\":410"), "statuses are stock-only");
      sim.send("{\"action\":\"subscribe\",\"orderbooks\":[\"SOL/USD\"]}");
      assertTrue(sim.awaitText("subscription", WAIT).contains("\"orderbooks\":[\"SOL/USD\"]"));
      JsonObject book = elements(sim.awaitText("\"T\":\"o\"", WAIT)).get(0);
      assertEquals("SOL/USD", book.getString("S"));
      assertTrue(book.getBoolean("r"), "the whole book first: " + book);
    }
  }

  private static double number(JsonObject element, String key) {
    JsonValue value = element.get(key);
    return ((JsonNumber) value).doubleValue();
  }

  @Test
  void aMsgpackClientGetsTheSameRecordsWithTFirstAndTimestampExtensions() throws Exception {
    try (WsProbe sdk = WsProbe.connect(crypto("us"), Map.of("Content-Type", "application/msgpack"))) {
      sdk.awaitBinary(f -> types(f).contains("success"), WAIT);
      sdk.send(pack("action", "auth", "key", "it-client", "secret", "it-client-secret"));
      sdk.awaitBinary(f -> types(f).contains("success"), WAIT);
      sdk.send(pack("action", "subscribe", "trades", List.of("ETH/USD"), "quotes", List.of("ETH/USD")));
      byte[] ack = sdk.awaitBinary(f -> types(f).contains("subscription"), WAIT);
      assertEquals(
          List.of("T", "trades", "quotes", "orderbooks", "bars", "updatedBars", "dailyBars"),
          new ArrayList<>(messages(ack).get(0).keySet()), "the crypto acknowledgement keys");
      for (String type : List.of("t", "q")) {
        byte[] frame = sdk.awaitBinary(f -> types(f).contains(type), WAIT);
        for (Map<String, Value> message : messages(frame)) {
          assertEquals("T", message.keySet().iterator().next(), "T first: " + message.keySet());
          if (!message.get("T").asStringValue().asString().equals(type)) {
            continue;
          }
          assertEquals("ETH/USD", message.get("S").asStringValue().asString());
          Value t = message.get("t");
          assertTrue(t.isExtensionValue() && t.asExtensionValue().getType() == -1, "ext -1: " + t);
          if (type.equals("t")) {
            assertEquals(List.of("T", "S", "p", "s", "t", "i", "tks"), new ArrayList<>(message.keySet()));
            assertTrue(message.get("s").isFloatValue(), "sizes are floats: " + message.get("s"));
            assertTrue(message.get("i").asIntegerValue().asBigInteger().compareTo(TWO_TO_53) > 0);
          } else {
            assertEquals(List.of("T", "S", "bp", "bs", "ap", "as", "t"), new ArrayList<>(message.keySet()));
            assertTrue(message.get("bs").isFloatValue());
          }
        }
      }
    }
  }

  private static byte[] pack(Object... keyValues) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(keyValues.length / 2);
      for (int i = 0; i < keyValues.length; i += 2) {
        packer.packString((String) keyValues[i]);
        if (keyValues[i + 1] instanceof List<?> list) {
          packer.packArrayHeader(list.size());
          for (Object item : list) {
            packer.packString((String) item);
          }
        } else {
          packer.packString((String) keyValues[i + 1]);
        }
      }
      return packer.toByteArray();
    }
  }

  private static List<Map<String, Value>> messages(byte[] frame) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(frame)) {
      List<Map<String, Value>> messages = new ArrayList<>();
      for (Value element : unpacker.unpackValue().asArrayValue()) {
        Value[] kv = element.asMapValue().getKeyValueArray();
        Map<String, Value> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
          map.put(kv[i].asStringValue().asString(), kv[i + 1]);
        }
        messages.add(map);
      }
      return messages;
    }
  }

  private static List<String> types(byte[] frame) {
    try {
      return messages(frame).stream().map(m -> m.get("T").asStringValue().asString()).toList();
    } catch (IOException | RuntimeException notAFrame) {
      return List.of();
    }
  }
}
