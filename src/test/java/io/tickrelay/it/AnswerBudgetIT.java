package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.StalledReader;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, review H2, against the WAR with real sockets: a client that subscribes many long
 * symbols, stops reading and keeps sending subscribes that change nothing is cut off ({@code 407},
 * then closed) once its unread answers pass the byte budget (the default, 8 MiB), at the pace the
 * flood guard allows; before the budget it was never cut off and its answers piled up in the heap.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AnswerBudgetIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final List<String> CHANNELS =
      List.of("trades", "quotes", "bars", "dailyBars", "updatedBars");

  private final HttpClient http = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @Test
  void aClientThatAsksForAnswersItNeverReadsIsCutOffByItsByteBudget() throws Exception {
    long cutOffsBefore = clients().getJsonNumber("slowClientDisconnects").longValue();
    long floodsBefore = clients().getJsonNumber("floodClosures").longValue();
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < 1800; i++) {
      symbols.add(String.format("A%029d", i)); // distinct, 30 characters: ~60 KB per channel
    }
    try (StalledReader client = new StalledReader(PORT, "/v2/iex", "iex-only", "iex-secret")) {
      for (String channel : CHANNELS) { // each answer is then ~420 KB (7 lists of 1,800)
        client.sendText("{\"action\":\"subscribe\",\"" + channel + "\":[\""
            + String.join("\",\"", symbols) + "\"]}");
      }
      String stale = "{\"action\":\"subscribe\",\"trades\":[\"" + symbols.get(0) + "\"]}";
      int[] polls = {0};
      int[] sent = {0};
      // one stale subscribe every 10th poll (5 a second, under the flood guard's 10): 100 of them,
      // ~42 MB of answers, are far past 8 MiB plus what the socket buffers hold
      Await.until("a 407 cut-off of the client that does not read", WAIT, () -> {
        if (clients().getJsonNumber("slowClientDisconnects").longValue() > cutOffsBefore) {
          return true;
        }
        if (polls[0]++ % 10 == 0 && sent[0] < 100) {
          sent[0]++;
          try {
            client.sendText(stale);
          } catch (IOException closed) {
            // the gateway closed it: the next status read tells why
          }
        }
        return false;
      });
      System.out.println("AnswerBudgetIT: cut off after " + sent[0] + " stale subscribes");
      assertEquals(floodsBefore, clients().getJsonNumber("floodClosures").longValue(),
          "cut off for its backlog, not for its rate");
      // the cut-off client's socket goes within the grace (5 s) whether it reads or not
      Await.until("its socket closed", WAIT, () -> closedByGateway(client));
    }
    // the gateway serves the next client as before
    try (WsProbe next = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"))) {
      next.awaitText("connected", WAIT);
      next.send("{\"action\":\"auth\",\"key\":\"iex-only\",\"secret\":\"iex-secret\"}");
      next.awaitText("authenticated", WAIT);
      next.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      assertTrue(next.awaitText("subscription", WAIT).contains("AAPL"));
    }
  }

  /** Whether the gateway closed the socket: reading what piled up ends in a close or end of stream. */
  private static boolean closedByGateway(StalledReader client) {
    try {
      List<StalledReader.Frame> frames = client.readAll(Duration.ofSeconds(2));
      return !frames.isEmpty() && frames.get(frames.size() - 1).opcode() == 0x8
          || frames.isEmpty() && client.ended();
    } catch (IOException reset) {
      return true; // closed with unread data: a reset
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
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
