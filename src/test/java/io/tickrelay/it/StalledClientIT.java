package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.StalledReader;
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
 * A client that stops reading, on a real server, with the gateway's blocking writes: its socket
 * buffer fills, its write blocks, the writer's watchdog moves it to asynchronous sends while a
 * reading client of the same channel keeps getting every event, before and after the stuck client
 * leaves. Large published events (60 KB each, the publish API at
 * its 20 events/s) fill the socket buffer within a second or two.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StalledClientIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String KEY = "exec-client";
  private static final String SECRET = "Exec-Client-Secret-6620";
  private static final String PUBLISHER = "Basic " + Base64.getEncoder()
      .encodeToString("it-publisher:Pub-Secret-4417".getBytes(StandardCharsets.UTF_8));

  private final HttpClient http = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @Test
  void aClientThatStopsReadingIsMovedAsideAndTheOthersGetEveryEvent() throws Exception {
    long blockedBefore = clients().getJsonNumber("writesBlocked").longValue();
    try (WsProbe reader = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/x/v1/channels"))) {
      reader.awaitText("connected", WAIT);
      reader.send("{\"action\":\"auth\",\"key\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"}");
      reader.awaitText("authenticated", WAIT);
      reader.send("{\"action\":\"subscribe\",\"channels\":[\"executions\"]}");
      reader.awaitText("subscription", WAIT);

      try (StalledReader stalled = new StalledReader(PORT, "/x/v1/channels", KEY, SECRET)) {
        stalled.sendText("{\"action\":\"subscribe\",\"channels\":[\"executions\"]}");
        String pad = "x".repeat(60_000);
        int[] published = {0};
        Await.until("a write to the stalled client to block", WAIT, () -> {
          if (clients().getJsonNumber("writesBlocked").longValue() > blockedBefore) {
            return true;
          }
          if (publish("{\"n\":" + published[0] + ",\"pad\":\"" + pad + "\"}").statusCode() == 202) {
            published[0]++;
          }
          return false;
        });
        assertTrue(clients().getInt("blockedWriters") >= 1, "the stuck write still waits");

        // the reading client is not held up by the stuck one
        publishAccepted("{\"marker\":\"after-the-block\"}");
        reader.awaitText("after-the-block", WAIT);

        stalled.close(); // the stuck client leaves with its socket buffer full
        publishAccepted("{\"marker\":\"after-it-left\"}");
        reader.awaitText("after-it-left", WAIT);
        // Whether the write left waiting ends is up to the container: Liberty woke it when the
        // socket closed in most runs, but not in every one (a CI run of 2026-12-02), so it is
        // reported, not asserted; the watchdog's interrupt and cap cover the rest (DirectWriterTest)
        try {
          Await.until("the blocked write to end", Duration.ofSeconds(10),
              () -> clients().getInt("blockedWriters") == 0);
        } catch (AssertionError stillHeld) {
          // reported below
        }
        System.out.println("StalledClientIT: writer threads still held by a blocked write 10 s after"
            + " the stuck client left: " + clients().getInt("blockedWriters"));
      }
    }
  }

  /** Publishes, trying again while the publisher is over its rate (429). */
  private void publishAccepted(String event) {
    Await.until("the publish API to accept " + event, WAIT, () -> {
      HttpResponse<String> response = publish(event);
      assertTrue(response.statusCode() == 202 || response.statusCode() == 429, response.body());
      return response.statusCode() == 202;
    });
  }

  private HttpResponse<String> publish(String event) {
    try {
      return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/publish/executions"))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .header("Authorization", PUBLISHER)
            .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonObject clients() {
    try {
      String body = http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/ws/status"))
                  .timeout(WAIT).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
      return Json.createReader(new StringReader(body)).readObject().getJsonObject("clients");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
