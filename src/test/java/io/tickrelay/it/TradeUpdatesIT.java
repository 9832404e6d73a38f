package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trade updates through the real WAR on Open Liberty, black box: the gateway holds the account's
 * trading stream on its embedded trading-stream simulator ({@code /simulator/trading/stream},
 * configured through {@code tickrelay.it.gateway}) and serves it on {@code /stream} in Alpaca's
 * trading-stream protocol; the simulator's admin switch makes it emit a fill.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TradeUpdatesIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final URI STREAM = URI.create("ws://localhost:" + PORT + "/stream");
  private static final URI ADMIN = URI.create("http://localhost:" + PORT + "/simulator/trading/admin");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @Test
  void aTradingStreamClientReceivesTheFillTheSimulatorEmits() throws Exception {
    try (WsProbe client = WsProbe.connect(STREAM)) {
      // alpaca-trade-api-js websockets.js and alpaca-py trading/stream.py send exactly this
      client.send("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"it-client\",\"secret_key\":\"it-client-secret\"}}");
      assertEquals("{\"stream\":\"authorization\",\"data\":{\"status\":\"authorized\",\"action\":\"authenticate\"}}",
          awaitJson(client, "authorization"));
      client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
      assertEquals("{\"stream\":\"listening\",\"data\":{\"streams\":[\"trade_updates\"]}}",
          awaitJson(client, "listening"));
      Await.until("the gateway's trading upstream to listen on the simulator", WAIT,
          () -> admin("GET", "").contains("\"listening\":1"));

      String emitted = admin("POST", "?action=fill&symbol=AAPL&qty=7&price=188.25");
      JsonObject update = parse(awaitJson(client, "\"fill\""));
      assertEquals("trade_updates", update.getString("stream"));
      JsonObject data = update.getJsonObject("data");
      assertEquals(parse(emitted), data, "the simulator's data, relayed unchanged");
      assertEquals("fill", data.getString("event"));
      assertEquals("188.25", data.getString("price"));
      assertEquals("7", data.getString("qty"));
      assertEquals("AAPL", data.getJsonObject("order").getString("symbol"));
    }
  }

  @Test
  void aCredentialWithoutTheEntitlementIsRefused() throws Exception {
    try (WsProbe client = WsProbe.connect(STREAM)) {
      client.send("{\"action\":\"auth\",\"key\":\"iex-only\",\"secret\":\"iex-secret\"}");
      assertEquals("{\"stream\":\"authorization\",\"data\":{\"status\":\"unauthorized\",\"action\":\"authenticate\"}}",
          awaitJson(client, "authorization"));
      CloseReason closed = client.awaitClose(WAIT);
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), closed.getCloseCode().getCode());
    }
  }

  @Test
  void badInputIsAnsweredWithAnError() throws Exception {
    try (WsProbe client = WsProbe.connect(STREAM)) {
      client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
      assertTrue(awaitJson(client, "authorization").contains("\"action\":\"listen\""));
      client.send("not json at all");
      assertEquals("{\"action\":\"error\",\"data\":{\"error_message\":\"invalid syntax\"}}",
          awaitJson(client, "error"));
      assertTrue(client.isOpen());
    }
  }

  private static String admin(String method, String query) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(ADMIN + query))
          .method(method, HttpRequest.BodyPublishers.noBody()).build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(method + " " + ADMIN + query + ": " + response.statusCode());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new AssertionError(method + " " + ADMIN + query + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** JSON in binary frames, as Alpaca's paper trading stream sends them. */
  private static String awaitJson(WsProbe client, String fragment) throws InterruptedException {
    return new String(client.awaitBinary(
        b -> new String(b, StandardCharsets.UTF_8).contains(fragment), WAIT), StandardCharsets.UTF_8);
  }

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }
}
