package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, browser safety: with {@code TICKRELAY_OPERATOR_CREDENTIAL} set, status and metrics
 * (plan tier, upstream errors, client counts) answer only to it, on every path under them; health
 * stays open for probes. The credential is this deployment's own (its microprofile-config.properties),
 * so the shared IT gateway, and every other IT reading status or metrics, stays as it is.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperatorCredentialIT {

  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String KEY = "ops-it";
  private static final String SECRET = "Ops-It-Secret-7781";
  private static final String WRONG = "Ops-Guess-Secret-4409";
  private static final List<String> PROTECTED =
      List.of("/api/v1/ws/status", "/metrics", "/metrics?scope=base", "/metrics/base");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    WebArchive war = ItGateway.war();
    String config = "WEB-INF/classes/META-INF/microprofile-config.properties";
    String shipped = war.contains(config)
        ? new String(war.get(config).getAsset().openStream().readAllBytes(), StandardCharsets.UTF_8) : "";
    war.delete(config);
    return war.addAsWebInfResource(
        new StringAsset(shipped + "\ntickrelay.operator.credential=" + KEY + ":" + SECRET + "\n"),
        "classes/META-INF/microprofile-config.properties");
  }

  @Test
  void statusAndMetricsRefuseWithoutTheCredentialAndShowNothing() throws Exception {
    for (String path : PROTECTED) {
      for (HttpResponse<String> refused : List.of(get(path, null, null),
          get(path, basic(KEY, WRONG), null), get(path, null, new String[] {KEY, WRONG}),
          get(path, basic("someone", SECRET), null))) {
        assertEquals(401, refused.statusCode(), path + " without the operator credential");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "),
            path + " tells the browser to ask for a credential");
        assertFalse(refused.body().contains("tickrelay_"), path + " leaked metrics: " + refused.body());
        assertFalse(refused.body().contains("upstreams"), path + " leaked status: " + refused.body());
      }
    }
  }

  @Test
  void statusAndMetricsAnswerTheCredentialByBasicAuthOrKeyHeaders() throws Exception {
    HttpResponse<String> status = get("/api/v1/ws/status", basic(KEY, SECRET), null);
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().contains("\"clients\""), status.body());
    HttpResponse<String> metrics = get("/metrics", basic(KEY, SECRET), null);
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(metrics.body().contains("tickrelay_clients_connected"), metrics.body());
    HttpResponse<String> byHeaders = get("/metrics", null, new String[] {KEY, SECRET});
    assertEquals(200, byHeaders.statusCode());
    assertTrue(byHeaders.body().contains("tickrelay_clients_refusals"), byHeaders.body());
    for (String secret : List.of(SECRET, WRONG)) {
      assertFalse(status.body().contains(secret), "a secret in status");
      assertFalse(metrics.body().contains(secret), "a secret in metrics");
      assertFalse(ItGateway.serverLogs().contains(secret), "a secret in the server logs");
    }
  }

  @Test
  void healthStaysOpenForProbes() throws Exception {
    HttpResponse<String> live = get("/health/live", null, null);
    assertEquals(200, live.statusCode(), live.body());
    assertTrue(live.body().contains("\"UP\""), live.body());
  }

  private static String basic(String key, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String path, String authorization, String[] apcaHeaders)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (apcaHeaders != null) {
      request.header("APCA-API-KEY-ID", apcaHeaders[0]).header("APCA-API-SECRET-KEY", apcaHeaders[1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
