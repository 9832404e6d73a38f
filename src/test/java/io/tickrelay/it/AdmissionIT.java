package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.RawWebSocket;
import io.tickrelay.testing.WsProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admission policy on the real WAR, attacked as issue 15 describes: sockets that fail header
 * authentication and then stay silent are timed out like any unauthenticated socket (the IT
 * gateway's auth timeout is PT2S); one address holds at most 100 unauthenticated sockets on every
 * path together; a key that keeps failing is refused unheard. (A flooder that does not read is
 * AdmissionHubTest's: on Liberty a write blocked on a full socket can hold up reading that
 * socket's messages, so the flood is not seen in a bounded time.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdmissionIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The IT gateway's auth timeout (PT2S) and slack for a loaded build machine. */
  private static final Duration AUTH_DEADLINE = Duration.ofSeconds(2).plusSeconds(6);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String KEY = "exec-client";
  private static final String SECRET = "Exec-Client-Secret-6620";

  private final HttpClient http = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @Test
  void silentSocketsWithWrongKeyHeadersAreTimedOutAndFreeTheirSlots() throws Exception {
    int before = clients().getInt("connected");
    List<WsProbe> silent = new ArrayList<>();
    Map<String, String> wrong = Map.of("APCA-API-KEY-ID", "nobody", "APCA-API-SECRET-KEY", "wrong");
    try {
      long opened = System.nanoTime();
      for (String path : List.of("/v2/iex", "/v2/iex", "/v2/sip", "/x/v1/channels", "/v1beta3/crypto/us")) {
        silent.add(WsProbe.connect(URI.create("ws://localhost:" + PORT + path), wrong));
      }
      for (WsProbe probe : silent) {
        assertTrue(probe.awaitText("\"code\":402", WAIT).contains("auth failed"));
      }
      for (WsProbe probe : silent) {
        assertTrue(probe.awaitText("\"code\":404", AUTH_DEADLINE).contains("auth timeout"));
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(),
            probe.awaitClose(AUTH_DEADLINE).getCloseCode().getCode());
      }
      Duration took = Duration.ofNanos(System.nanoTime() - opened);
      assertTrue(took.compareTo(AUTH_DEADLINE.plusSeconds(2)) < 0, "timed out after " + took);
      Await.until("the slots to be given back", WAIT, () -> clients().getInt("connected") <= before);
      JsonObject refusals = clients().getJsonObject("refusals");
      assertTrue(refusals.getJsonNumber("authTimeout").longValue() >= silent.size(), refusals.toString());
      assertTrue(refusals.getJsonNumber("authFailed").longValue() >= silent.size(), refusals.toString());
    } finally {
      for (WsProbe probe : silent) {
        probe.close();
      }
    }
  }

  /**
   * The remote address reaches the hubs on this container (RemoteAddressFilter): one address may
   * hold 100 unauthenticated sockets (the default) on every client path together, and a header a
   * client sends under the gateway's own name does not make it another address.
   */
  @Test
  void oneAddressHoldsAtMostAHundredUnauthenticatedSockets() throws Exception {
    long before = clients().getJsonObject("refusals").getJsonNumber("unauthenticatedCap").longValue();
    List<WsProbe> waiting = new ArrayList<>();
    try {
      // in parallel: all 100 must be open before the first one's auth deadline (PT2S) frees it
      ExecutorService pool = Executors.newFixedThreadPool(20);
      try {
        List<Future<WsProbe>> opening = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          String spoofed = "10.9.9." + i;
          opening.add(pool.submit(() -> WsProbe.connect(
              URI.create("ws://localhost:" + PORT + "/v2/iex"),
              Map.of("X-Tickrelay-Remote-Address", spoofed))));
        }
        for (Future<WsProbe> probe : opening) {
          waiting.add(probe.get(30, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdown();
      }
      for (WsProbe probe : waiting) {
        probe.awaitText("connected", WAIT);
      }
      try (WsProbe stocks = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"));
          WsProbe trading = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/stream"))) {
        assertTrue(stocks.awaitText("error", WAIT).contains("\"code\":406"));
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER.getCode(),
            stocks.awaitClose(WAIT).getCloseCode().getCode());
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER.getCode(),
            trading.awaitClose(WAIT).getCloseCode().getCode());
      }
      assertEquals(before + 2,
          clients().getJsonObject("refusals").getJsonNumber("unauthenticatedCap").longValue());
    } finally {
      for (WsProbe probe : waiting) {
        probe.close();
      }
    }
  }

  /** Ten failures of one key within the window (the default): the eleventh is refused unheard. */
  @Test
  void aKeyThatFailedTenTimesIsRefusedWithoutCheckingTheSecret() throws Exception {
    Map<String, String> guessing = Map.of("APCA-API-KEY-ID", "guessed-key", "APCA-API-SECRET-KEY", "guess");
    for (int i = 0; i < 10; i++) {
      try (WsProbe probe = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"), guessing)) {
        assertTrue(probe.awaitText("\"code\":402", WAIT).contains("auth failed"));
      }
    }
    try (WsProbe throttled = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"), guessing)) {
      assertTrue(throttled.awaitText("error", WAIT)
          .contains("{\"T\":\"error\",\"code\":429,\"msg\":\"too many failed authentications\"}"));
      assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(),
          throttled.awaitClose(WAIT).getCloseCode().getCode());
    }
    try (WsProbe trading = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/stream"))) {
      trading.sendExpectingClose("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"guessed-key\",\"secret_key\":\"guess\"}}");
      // /stream sends JSON in binary frames, as Alpaca's paper endpoint does
      trading.awaitBinary(b -> new String(b, StandardCharsets.UTF_8).contains("unauthorized"), WAIT);
      trading.awaitClose(WAIT);
    }
    assertTrue(clients().getJsonObject("refusals").getJsonNumber("authThrottled").longValue() >= 2);
    // the address itself is not throttled: a right key from here still gets in
    try (WsProbe right = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/x/v1/channels"),
        Map.of("APCA-API-KEY-ID", KEY, "APCA-API-SECRET-KEY", SECRET))) {
      right.awaitText("authenticated", WAIT);
    }
  }

  /**
   * Key ids are not secret (docs/PROTOCOL.md "Limits"): a stranger who sends wrong secrets for
   * it-client's key is throttled himself, but it-client from its own address still gets in with
   * its secret. The stranger is 127.0.0.2, honestly: the socket is bound to it, and on Linux every
   * 127.0.0.0/8 address belongs to the loopback interface.
   */
  @Test
  void aStrangersWrongSecretsDoNotLockTheKeyOutForItsOwner() throws Exception {
    InetAddress stranger = InetAddress.getByName("127.0.0.2");
    InetAddress owner = InetAddress.getByName("127.0.0.1");
    URI stocks = URI.create("ws://127.0.0.1:" + PORT + "/v2/iex");
    Map<String, String> wrong =
        Map.of("APCA-API-KEY-ID", "it-client", "APCA-API-SECRET-KEY", "not-the-secret");
    for (int i = 0; i < 10; i++) {
      try (RawWebSocket guess = RawWebSocket.open(stocks, wrong, WAIT, stranger)) {
        assertNotNull(guess.await(f -> f.text().contains("\"code\":402"), WAIT), "guess " + i);
      }
    }
    try (RawWebSocket guess = RawWebSocket.open(stocks, wrong, WAIT, stranger)) {
      RawWebSocket.Frame answer = guess.await(f -> f.text().contains("error"), WAIT);
      assertNotNull(answer);
      assertTrue(answer.text().contains("{\"T\":\"error\",\"code\":429,"), answer.text());
    }
    try (RawWebSocket right = RawWebSocket.open(stocks,
        Map.of("APCA-API-KEY-ID", "it-client", "APCA-API-SECRET-KEY", "it-client-secret"), WAIT, owner)) {
      RawWebSocket.Frame answer = right.await(
          f -> f.text().contains("authenticated") || f.text().contains("error"), WAIT);
      assertNotNull(answer);
      assertTrue(answer.text().contains("{\"T\":\"success\",\"msg\":\"authenticated\"}"),
          answer.text());
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
