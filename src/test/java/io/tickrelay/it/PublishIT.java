package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.WsProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * The publish API on a real Open Liberty, black box: producers POST events, entitled
 * {@code /x/v1/channels} subscribers of that channel receive them as {@code x-event}, and every
 * bad request gets its 4xx with nothing published. Credentials are in pom.xml's
 * {@code tickrelay.it.gateway}: it-publisher may publish on signals and executions, rate-publisher
 * on rates, at 20 events per second each; signals-client is entitled to the signals channel only.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PublishIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String JSON = "application/json";
  private static final String PUBLISHER = basic("it-publisher", "Pub-Secret-4417");

  private final HttpClient http = HttpClient.newHttpClient();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  private static String basic(String key, String secret) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> post(String channel, String contentType, String body,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://localhost:" + PORT + "/api/v1/publish/" + channel))
        .timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> publish(String channel, String body) throws Exception {
    return post(channel, JSON, body, "Authorization", PUBLISHER);
  }

  private static void assertStatus(int status, HttpResponse<String> response, String reason) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"code\":" + status), response.body());
    assertTrue(response.body().contains(reason), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(JSON));
  }

  @Test
  void anAcceptedRequestSaysHowManyEventsItPublished() throws Exception {
    HttpResponse<String> one = publish("executions", "{\"order\":\"o-1\",\"filled\":3}");
    assertEquals(202, one.statusCode(), one.body());
    assertEquals("{\"channel\":\"executions\",\"accepted\":1}", one.body());
    HttpResponse<String> batch = post("executions", "application/json; charset=UTF-8",
        "[{\"order\":\"o-2\"},{\"order\":\"o-3\"}]",
        "APCA-API-KEY-ID", "it-publisher", "APCA-API-SECRET-KEY", "Pub-Secret-4417");
    assertEquals(202, batch.statusCode(), batch.body());
    assertEquals("{\"channel\":\"executions\",\"accepted\":2}", batch.body());
  }

  @Test
  void unauthenticatedOrWrongSecretIs401AndNamesNoSecret() throws Exception {
    for (HttpResponse<String> response : List.of(
        post("signals", JSON, "{\"a\":1}"),
        post("signals", JSON, "{\"a\":1}", "Authorization", basic("it-publisher", "Pub-Guess-8812")),
        post("signals", JSON, "{\"a\":1}", "Authorization", basic("nobody", "Pub-Secret-4417")),
        post("signals", JSON, "{\"a\":1}", "Authorization", "Bearer it-publisher:Pub-Secret-4417"),
        // a client credential is not a publisher credential
        post("signals", JSON, "{\"a\":1}", "Authorization", basic("it-client", "it-client-secret")))) {
      assertStatus(401, response, "message");
      assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      assertFalse(response.body().contains("Pub-"), response.body());
    }
  }

  @Test
  void aChannelOutsideThePublishersListIs403() throws Exception {
    assertStatus(403, publish("portfolio", "{\"a\":1}"), "may not publish on channel portfolio");
    assertStatus(403, post("signals", JSON, "{\"a\":1}",
        "Authorization", basic("rate-publisher", "Rate-Secret-9023")), "channel signals");
  }

  @Test
  void badRequestsGetTheirStatusAndReason() throws Exception {
    assertStatus(400, publish("Signals", "{\"a\":1}"), "channel name must match");
    assertStatus(400, publish("signals", "{\"a\":1"), "not well-formed JSON");
    assertStatus(400, publish("signals", "{\"a\":1,\"a\":2}"), "not well-formed JSON");
    assertStatus(400, publish("signals", "[{\"a\":1},\"b\"]"), "every element");
    assertStatus(400, publish("signals", "[]"), "non-empty array");
    assertStatus(415, post("signals", "text/plain", "{\"a\":1}", "Authorization", PUBLISHER),
        "application/json");
    assertStatus(415, post("signals", null, "{\"a\":1}", "Authorization", PUBLISHER),
        "application/json");
    String large = "{\"pad\":\"" + "x".repeat(65536) + "\"}";
    assertStatus(413, publish("signals", large), "larger than 65536 bytes");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      many.add("{\"n\":" + i + "}");
    }
    assertStatus(413, publish("signals", "[" + String.join(",", many) + "]"), "at most 20 events");
  }

  @Test
  void aPublisherBeyondItsRateIs429WithRetryAfter() throws Exception {
    String rateHeader = basic("rate-publisher", "Rate-Secret-9023");
    List<String> twenty = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      twenty.add("{\"n\":" + i + "}");
    }
    String batch = "[" + String.join(",", twenty) + "]";
    assertEquals(202, post("rates", JSON, batch, "Authorization", rateHeader).statusCode());
    // the bucket holds one second's worth: a second full batch within that second is refused
    HttpResponse<String> refused = post("rates", JSON, batch, "Authorization", rateHeader);
    assertStatus(429, refused, "publish rate exceeded");
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(1, retryAfter, "whole seconds, rounded up from the wait under one second");
    // another publisher's rate is its own
    assertEquals(202, publish("executions", "{\"unaffected\":true}").statusCode());
  }

  /**
   * Guessing publisher secrets is throttled as guessing client secrets is (docs/PROTOCOL.md
   * "Limits"): after ten failures of one key from one address within the window (the IT gateway's
   * is PT5S) the key is refused unheard from there with 429, counted as {@code authThrottled}; the
   * address itself is not locked out below its own limit. The key is one of its own, so that no
   * other test's publisher is throttled.
   */
  @Test
  void guessingAPublisherSecretIsThrottled() throws Exception {
    long before = refusals("authThrottled");
    String guess = basic("publish-guesser", "Guess-0000");
    for (int i = 0; i < 10; i++) {
      assertStatus(401, post("signals", JSON, "{\"a\":1}", "Authorization", guess), "message");
    }
    HttpResponse<String> throttled = post("signals", JSON, "{\"a\":1}", "Authorization", guess);
    assertStatus(429, throttled, "too many failed authentications");
    assertTrue(throttled.headers().firstValue("Retry-After").isPresent(), "Retry-After");
    assertEquals(before + 1, refusals("authThrottled"));
    assertEquals(202, publish("executions", "{\"publisher\":\"unaffected\"}").statusCode());
  }

  private long refusals(String kind) throws Exception {
    String body = http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/api/v1/ws/status"))
                .timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    return jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject()
        .getJsonObject("clients").getJsonObject("refusals").getJsonNumber(kind).longValue();
  }

  private static URI channels() {
    return URI.create("ws://localhost:" + PORT + "/x/v1/channels");
  }

  /** A client of {@code /x/v1/channels} that has sent its auth message. */
  private static WsProbe client(String key, String secret) throws Exception {
    WsProbe probe = WsProbe.connect(channels());
    probe.awaitText("connected", WAIT);
    probe.send("{\"action\":\"auth\",\"key\":\"" + key + "\",\"secret\":\"" + secret + "\"}");
    return probe;
  }

  private static String subscribe(WsProbe probe, String channel) throws Exception {
    probe.send("{\"action\":\"subscribe\",\"channels\":[\"" + channel + "\"]}");
    return probe.awaitText("\"T\":\"", WAIT);
  }

  private static List<String> types(byte[] frame) {
    List<String> types = new ArrayList<>();
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame)) {
      for (Value element : in.unpackValue().asArrayValue()) {
        types.add(element.asMapValue().map().get(ValueFactory.newString("T")).toString());
      }
    } catch (IOException | RuntimeException notAnArrayOfMaps) {
      types.add("?");
    }
    return types;
  }

  @Test
  void aMsgpackSubscriberWithSequenceNumbersGetsTheEventAsAMap() throws Exception {
    try (WsProbe packed = WsProbe.connect(channels(), Map.of("Content-Type", "application/msgpack"))) {
      packed.awaitBinary(f -> types(f).contains("success"), WAIT);
      packed.send("{\"action\":\"auth\",\"key\":\"signals-client\",\"secret\":\"Sig-Client-Secret-3311\"}");
      packed.awaitBinary(f -> types(f).contains("success"), WAIT);
      packed.send("{\"action\":\"x-options\",\"sequence\":true}");
      packed.awaitBinary(f -> types(f).contains("x-options"), WAIT);
      packed.send("{\"action\":\"subscribe\",\"channels\":[\"signals\"]}");
      packed.awaitBinary(f -> types(f).contains("subscription"), WAIT);

      assertEquals(202, publish("signals",
          "{\"signal\":\"hold\",\"legs\":[{\"qty\":3},{\"qty\":-1.5}],\"id\":18446744073709551615}").statusCode());
      byte[] frame = packed.awaitBinary(f -> types(f).contains("x-event"), WAIT);
      Value event;
      try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame)) {
        event = in.unpackValue().asArrayValue().get(0);
      }
      List<String> keys = new ArrayList<>();
      event.asMapValue().keySet().forEach(k -> keys.add(k.asStringValue().asString()));
      assertEquals(List.of("T", "S", "p", "t", "data", "x-seq"), keys);
      Map<Value, Value> fields = event.asMapValue().map();
      assertEquals(-1, fields.get(ValueFactory.newString("t")).asExtensionValue().getType());
      assertTrue(fields.get(ValueFactory.newString("x-seq")).asIntegerValue().asLong() > 0);
      Map<Value, Value> data = fields.get(ValueFactory.newString("data")).asMapValue().map();
      assertEquals("hold", data.get(ValueFactory.newString("signal")).asStringValue().asString());
      assertEquals(3, data.get(ValueFactory.newString("legs")).asArrayValue().get(0).asMapValue()
          .map().get(ValueFactory.newString("qty")).asIntegerValue().asInt());
      assertEquals("18446744073709551615",
          data.get(ValueFactory.newString("id")).asIntegerValue().asBigInteger().toString());
    }
  }

  @Test
  void aSignalReachesExactlyTheEntitledSubscribersOfItsChannel() throws Exception {
    try (WsProbe signals = client("signals-client", "Sig-Client-Secret-3311");
        WsProbe executions = client("exec-client", "Exec-Client-Secret-6620");
        WsProbe unentitled = client("iex-only", "iex-secret")) {
      signals.awaitText("authenticated", WAIT);
      executions.awaitText("authenticated", WAIT);
      // no channel entitlement at all: refused at auth; channels/executions only: refused a
      // subscribe to signals, and keeps its connection for executions
      String noChannels = unentitled.awaitText("\"T\":\"error\"", WAIT);
      assertTrue(noChannels.contains("\"code\":409"), noChannels);
      String ack = subscribe(signals, "signals");
      assertTrue(ack.contains("\"T\":\"subscription\"") && ack.contains("\"channels\":[\"signals\"]"), ack);
      String refused = subscribe(executions, "signals");
      assertTrue(refused.contains("\"T\":\"error\"") && refused.contains("\"code\":409"), refused);
      String execAck = subscribe(executions, "executions");
      assertTrue(execAck.contains("\"channels\":[\"executions\"]"), execAck);

      // refused requests first: none of them may reach anyone
      publish("signals", "[{\"bad\":\"first\"},3]");
      post("signals", "text/plain", "{\"bad\":\"media\"}", "Authorization", PUBLISHER);
      post("signals", JSON, "{\"bad\":\"auth\"}", "Authorization", basic("it-publisher", "Pub-Guess-8812"));
      post("signals", JSON, "{\"bad\":\"channel\"}", "Authorization", basic("rate-publisher", "Rate-Secret-9023"));

      HttpResponse<String> accepted = publish("signals",
          "[{\"signal\":\"buy\",\"symbol\":\"AAPL\",\"note\":\"K\u00e4ufer \uD83D\uDE80\"},"
              + "{\"signal\":\"sell\",\"symbol\":\"MSFT\",\"size\":123456789012345678901234567890}]");
      assertEquals(202, accepted.statusCode(), accepted.body());

      String buy = signals.awaitText("\"T\":\"x-event\"", WAIT);
      assertTrue(buy.contains("\"S\":\"signals\",\"p\":\"it-publisher\""), buy);
      assertTrue(buy.contains(
          "\"data\":{\"signal\":\"buy\",\"symbol\":\"AAPL\",\"note\":\"K\u00e4ufer \uD83D\uDE80\"}"), buy);
      String sell = buy.contains("\"sell\"") ? buy : signals.awaitText("\"sell\"", WAIT);
      assertTrue(sell.contains("\"size\":123456789012345678901234567890"), sell);
      String all = String.join("\n", signals.received());
      assertTrue(all.indexOf("\"buy\"") < all.indexOf("\"sell\""), "in the order published: " + all);
      assertFalse(all.contains("\"bad\""), "a refused request was published: " + all);

      // published after the signal on the same stream: once it arrives, the signal had its chance
      assertEquals(202, publish("executions", "{\"order\":\"o-9\"}").statusCode());
      String execution = executions.awaitText("\"T\":\"x-event\"", WAIT);
      assertTrue(execution.contains("\"S\":\"executions\""), execution);
      for (String frame : executions.received()) {
        assertFalse(frame.contains("\"S\":\"signals\""), "a non-subscriber got a signal: " + frame);
      }
      for (String frame : unentitled.received()) {
        assertFalse(frame.contains("x-event"), "an unentitled client got an event: " + frame);
      }
    }
  }
}
