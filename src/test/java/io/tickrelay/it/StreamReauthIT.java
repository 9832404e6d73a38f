package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15 (L4), {@code /stream} on the real WAR: authenticating again on an authenticated socket
 * is answered "already authenticated" and switches nothing, so each credential's connection count
 * stays right. {@code warits-stream} and {@code warits-other} may each hold one connection
 * ({@code TICKRELAY_CLIENT_LIMITS}): a second connection of a credential at its limit is refused,
 * a re-authentication as the other credential does not take that one's place, and closing the
 * socket gives its one count back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StreamReauthIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final URI STREAM = URI.create("ws://localhost:" + PORT + "/stream");
  private static final String AUTHORIZED =
      "{\"stream\":\"authorization\",\"data\":{\"status\":\"authorized\",\"action\":\"authenticate\"}}";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  private static String auth(String key, String secret) {
    return "{\"action\":\"authenticate\",\"data\":{\"key_id\":\"" + key + "\",\"secret_key\":\""
        + secret + "\"}}";
  }

  @Test
  void reauthenticationSwitchesNothingAndTheCountsStayRight() throws Exception {
    try (WsProbe first = WsProbe.connect(STREAM)) {
      first.send(auth("warits-stream", "Stream-Secret-8802"));
      assertEquals(AUTHORIZED, awaitJson(first, "authorization"));

      // the credential is at its limit of one: a second connection of it is refused
      try (WsProbe second = WsProbe.connect(STREAM)) {
        second.sendExpectingClose(auth("warits-stream", "Stream-Secret-8802"));
        assertEquals("{\"action\":\"error\",\"data\":{\"error_message\":\"connection limit exceeded\"}}",
            awaitJson(second, "connection limit exceeded"));
      }

      // authenticating again, as another credential or the same one, is refused and switches nothing
      first.send(auth("warits-other", "Other-Secret-8803"));
      assertEquals("{\"action\":\"error\",\"data\":{\"error_message\":\"already authenticated\"}}",
          awaitJson(first, "already authenticated"));
      first.send(auth("warits-stream", "Stream-Secret-8802"));
      awaitJson(first, "already authenticated");

      // the other credential's one connection is still free: the re-authentication took nothing
      try (WsProbe other = WsProbe.connect(STREAM)) {
        other.send(auth("warits-other", "Other-Secret-8803"));
        assertEquals(AUTHORIZED, awaitJson(other, "authorization"));
      }
    }
    // the first socket is gone: its one count comes back, and only one
    Await.until("warits-stream's count to be given back", WAIT, () -> authorizes("warits-stream", "Stream-Secret-8802"));
    Await.until("warits-other's count to be given back", WAIT, () -> authorizes("warits-other", "Other-Secret-8803"));
  }

  /** Whether a fresh socket of the credential is authorized (not at its limit). */
  private static boolean authorizes(String key, String secret) {
    try (WsProbe probe = WsProbe.connect(STREAM)) {
      probe.sendExpectingClose(auth(key, secret));
      String answer = new String(probe.awaitBinary(b -> {
        String text = new String(b, StandardCharsets.UTF_8);
        return text.contains("authorization") || text.contains("connection limit exceeded");
      }, WAIT), StandardCharsets.UTF_8);
      return answer.equals(AUTHORIZED);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** JSON in binary frames, as Alpaca's paper trading stream sends them. */
  private static String awaitJson(WsProbe client, String fragment) throws InterruptedException {
    return new String(client.awaitBinary(
        b -> new String(b, StandardCharsets.UTF_8).contains(fragment), WAIT), StandardCharsets.UTF_8);
  }
}
