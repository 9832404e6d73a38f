package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Binance spot end to end on a real Open Liberty, black box: a client on {@code
 * /v1beta3/crypto/binance} gets BTC/USDT trades and quotes in Alpaca's crypto shapes, normalized
 * from the WAR's own Binance simulator ({@code /simulator/binance/stream}); with the connection
 * replaced every 3 s (the ITs' TICKRELAY_BINANCE_MAX_SESSION_AGE) and the simulator cutting
 * connections at 5 s, the client's trade ids stay gapless and unique across the rotations.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BinanceIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final URI BINANCE = URI.create("ws://localhost:" + PORT + "/v1beta3/crypto/binance");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  private static List<JsonObject> elements(String frame) {
    try (JsonReader reader = Json.createReader(new StringReader(frame))) {
      List<JsonObject> elements = new ArrayList<>();
      reader.readArray().forEach(v -> elements.add(v.asJsonObject()));
      return elements;
    }
  }

  private static WsProbe subscribed(String subscribe) throws Exception {
    WsProbe client = WsProbe.connect(BINANCE);
    client.awaitText("connected", WAIT);
    client.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}");
    client.awaitText("authenticated", WAIT);
    client.send(subscribe);
    client.awaitText("\"T\":\"subscription\"", WAIT);
    return client;
  }

  @Test
  void aClientGetsBinanceTradesAndQuotesInAlpacasCryptoShapes() throws Exception {
    try (WsProbe client = subscribed("{\"action\":\"subscribe\",\"trades\":[\"BTC/USDT\"],\"quotes\":[\"BTC/USDT\"]}")) {
      boolean traded = false;
      boolean quoted = false;
      for (int frames = 0; frames < 200 && !(traded && quoted); frames++) {
        for (JsonObject element : elements(client.awaitText("\"S\":\"BTC/USDT\"", WAIT))) {
          List<String> keys = new ArrayList<>(element.keySet());
          switch (element.getString("T")) {
            case "t" -> {
              assertEquals(List.of("T", "S", "p", "s", "t", "i", "tks"), keys, element.toString());
              assertTrue(List.of("B", "S").contains(element.getString("tks")), element.toString());
              assertTrue(element.getJsonNumber("p").doubleValue() > 1000, "a BTC price: " + element);
              traded = true;
            }
            case "q" -> {
              assertEquals(List.of("T", "S", "bp", "bs", "ap", "as", "t"), keys, element.toString());
              assertTrue(element.getJsonNumber("bp").doubleValue() < element.getJsonNumber("ap").doubleValue());
              quoted = true;
            }
            default -> throw new AssertionError("not asked for: " + element);
          }
        }
      }
      assertTrue(traded && quoted, "trades and quotes");
    }
  }

  @Test
  void tradeIdsStayGaplessAndUniqueAcrossPlannedRotations() throws Exception {
    try (WsProbe client = subscribed("{\"action\":\"subscribe\",\"trades\":[\"ETH/BTC\"]}")) {
      List<Long> ids = new ArrayList<>();
      List<Instant> times = new ArrayList<>();
      // 12 s of trades: four rotations at 3 s; a connection cut at the simulator's 5 s would leave a gap
      Await.until("12 s of ETH/BTC trades", Duration.ofSeconds(60), () -> {
        ids.clear();
        times.clear();
        for (String frame : client.received()) {
          if (frame.contains("\"T\":\"t\"")) {
            for (JsonObject element : elements(frame)) {
              if (element.getString("T").equals("t")) {
                ids.add(element.getJsonNumber("i").longValueExact());
                times.add(Instant.parse(element.getString("t")));
              }
            }
          }
        }
        return times.size() > 1 && Duration.between(times.get(0), times.get(times.size() - 1)).getSeconds() >= 12;
      });
      Set<Long> unique = new HashSet<>(ids);
      assertEquals(ids.size(), unique.size(), "no trade twice");
      TreeSet<Long> sorted = new TreeSet<>(ids);
      assertEquals(sorted.last() - sorted.first() + 1, sorted.size(), "no trade lost: " + sorted);
      assertEquals(List.copyOf(sorted), ids, "in trade order");
    }
  }
}
