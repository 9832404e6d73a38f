package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.FakeAlpaca;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway over TLS on Open Liberty: with {@code HTTPS_PORT} set (and {@code keystore_password},
 * so Liberty makes itself a self-signed key), clients stream over {@code wss://} and probes answer
 * over {@code https://}, as SDKs that insist on {@code wss} need.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TlsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int HTTPS_PORT = Integer.getInteger("tickrelay.it.https.port", 9443);
  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstream(Set.of("*"));
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    upstream.close();
  }

  /** Trusts the test server's self-signed certificate; never anything but a test does this. */
  private static HttpClient trustingClient() throws Exception {
    X509ExtendedTrustManager trustAll = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustAll}, null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(WAIT).build();
  }

  @Test
  void probesAnswerOverHttps() throws Exception {
    HttpResponse<String> live = trustingClient().send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS_PORT + "/health/live")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode(), live.body());
  }

  @Test
  void aClientStreamsOverWss() throws Exception {
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(partial.toString());
          partial.setLength(0);
        }
        socket.request(1);
        return null;
      }
    };
    WebSocket socket = trustingClient().newWebSocketBuilder()
        .buildAsync(URI.create("wss://localhost:" + HTTPS_PORT + "/v2/iex"), listener)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    try {
      assertTrue(next(frames, "connected").contains("connected"));
      socket.sendText("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}", true).join();
      next(frames, "authenticated");
      socket.sendText("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}", true).join();
      next(frames, "subscription");
      assertTrue(next(frames, "\"T\":\"t\"").contains("\"S\":\"AAPL\""));
    } finally {
      CompletableFuture<WebSocket> closing = socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static String next(LinkedBlockingQueue<String> frames, String fragment) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (frame != null && frame.contains(fragment)) {
        return frame;
      }
    }
    throw new AssertionError("no frame with " + fragment + " within " + WAIT);
  }
}
