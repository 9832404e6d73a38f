package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.WsProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review L1 (cross-site WebSocket hijacking): an upgrade from a foreign page's {@code Origin} is
 * refused with 403 on every client-facing endpoint; the gateway's own origin (its dashboard) and
 * requests without {@code Origin} (SDKs, bots) are served.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OriginIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final List<String> PATHS =
      List.of("/v2/iex", "/v1beta3/crypto/us", "/x/v1/channels", "/stream");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  private static URI ws(String path) {
    return URI.create("ws://localhost:" + PORT + path);
  }

  /** The JDK client reports the handshake's HTTP status (Tyrus only says it failed). */
  private static int handshakeStatus(String path, String origin) throws Exception {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (origin != null) {
      builder.header("Origin", origin);
    }
    try {
      WebSocket socket = builder.buildAsync(ws(path), new WebSocket.Listener() {})
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      socket.abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  @Test
  void aForeignOriginIsRefusedWith403OnEveryClientEndpoint() throws Exception {
    for (String path : PATHS) {
      assertEquals(403, handshakeStatus(path, "https://evil.example"), path);
    }
  }

  @Test
  void theOwnOriginAndNoOriginAreServed() throws Exception {
    for (String path : PATHS) {
      assertEquals(101, handshakeStatus(path, "http://localhost:" + PORT), path);
      assertEquals(101, handshakeStatus(path, null), path);
    }
    try (WsProbe own = WsProbe.connect(ws("/v2/iex"), Map.of("Origin", "http://localhost:" + PORT))) {
      assertTrue(own.awaitText("connected", WAIT).contains("\"success\""));
    }
  }
}
