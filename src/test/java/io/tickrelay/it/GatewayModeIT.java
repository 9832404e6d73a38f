package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, simulator mode on the real WAR: the IT gateway has an upstream key and client and
 * publisher credentials configured and no {@code TICKRELAY_MODE}, so it runs live, says so and why
 * in its status, and the simulator's demo credentials ({@code demo:demo} for clients, {@code
 * demo-publisher:demo} for publishing) are refused, although its embedded simulators are enabled
 * for the other ITs ({@code tickrelay.simulator.enabled=true}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GatewayModeIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @Test
  void theStatusSaysLiveModeAndWhy() throws Exception {
    JsonObject status = Json.createReader(new StringReader(get("/api/v1/ws/status"))).readObject();
    assertEquals("alpaca", status.getString("mode"));
    String reason = status.getString("modeReason");
    // the names of what was found, never a value (the IT key is "fake-key")
    assertTrue(reason.startsWith("configured: ") && reason.contains("APCA_API_KEY_ID")
        && reason.contains("TICKRELAY_CLIENTS"), reason);
    assertTrue(!reason.contains("fake-key") && !reason.contains("fake-secret"), reason);
  }

  @Test
  void demoCredentialsAreRefusedOnTheStream() throws Exception {
    try (WsProbe client = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"))) {
      client.awaitText("connected", WAIT);
      client.send("{\"action\":\"auth\",\"key\":\"demo\",\"secret\":\"demo\"}");
      assertEquals("[{\"T\":\"error\",\"code\":402,\"msg\":\"auth failed\"}]",
          client.awaitText("\"T\":\"error\"", WAIT));
      assertTrue(client.received().stream().noneMatch(f -> f.contains("authenticated")),
          client.received().toString());
    }
  }

  @Test
  void theDemoPublisherIsRefused() throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/publish/signals"))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("demo-publisher:demo".getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, response.statusCode(), response.body());
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }
}
