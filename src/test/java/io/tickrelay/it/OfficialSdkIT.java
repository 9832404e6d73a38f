package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alpaca's official JavaScript SDK ({@code @alpacahq/alpaca-trade-api}, pinned in
 * {@code src/test/node/official-sdk}), unchanged but for its stream {@code url} and credentials,
 * streams through the real WAR on Open Liberty: msgpack both ways, its own auth and subscribe
 * messages, its decoding of the timestamp extension. Needs Node.js 20+ and npm (CI installs them);
 * {@code -Dtickrelay.sdk.skip=true} skips it on a machine without them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OfficialSdkIT {

  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final Path CLIENT = Path.of("target/official-sdk");
  private static FakeAlpaca upstream;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void installTheSdkAndStartTheUpstream() throws Exception {
    Assumptions.assumeFalse(Boolean.getBoolean("tickrelay.sdk.skip"), "tickrelay.sdk.skip=true");
    Files.createDirectories(CLIENT);
    for (String file : List.of("package.json", "package-lock.json", "stream.mjs", "trading.mjs")) {
      Files.copy(Path.of("src/test/node/official-sdk", file), CLIENT.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    assertEquals(0, install.exit(), "npm ci of the official SDK failed:\n" + install.output());
    upstream = ItGateway.upstream(Set.of("*"));
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
  }

  record Run(int exit, String output) {
    List<JsonObject> events() {
      return output.lines().filter(l -> l.startsWith("{"))
          .map(l -> Json.createReader(new StringReader(l)).readObject()).toList();
    }
  }

  /** Runs a command in the SDK client's folder; fails clearly when Node.js is not installed. */
  private static Run run(List<String> command, int timeoutSeconds) throws Exception {
    Path output = Files.createTempFile(Path.of("target"), "official-sdk", ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(CLIENT.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    } catch (IOException notInstalled) {
      fail("Node.js 20+ and npm are needed for this test (apt-get install nodejs npm), or run with"
          + " -Dtickrelay.sdk.skip=true: " + notInstalled.getMessage());
      throw notInstalled;
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(command + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private static Run stream(String secret) throws Exception {
    return run(List.of("node", "stream.mjs", "ws://localhost:" + PORT + "/v2/iex", "it-client", secret,
        "AAPL", "MSFT", "5"), 60);
  }

  @Test
  void theOfficialSdkStreamsTradesAndQuotesThroughTheGateway() throws Exception {
    Run run = stream("it-client-secret");
    assertEquals(0, run.exit(), run.output());
    List<JsonObject> events = run.events();
    assertTrue(events.stream().anyMatch(e -> "auth".equals(e.getString("event", ""))
        && e.getBoolean("authenticated")), run.output());
    List<JsonObject> trades = events.stream().filter(e -> "trade".equals(e.getString("event", ""))).toList();
    List<JsonObject> quotes = events.stream().filter(e -> "quote".equals(e.getString("event", ""))).toList();
    assertTrue(trades.size() >= 5 && quotes.size() >= 5, run.output());
    long previousId = 0;
    for (JsonObject trade : trades) {
      assertEquals("AAPL", trade.getString("symbol"));
      assertTrue(trade.getJsonNumber("price").doubleValue() > 0, trade.toString());
      assertTrue(trade.getInt("id") > previousId, "trade ids rise: " + trade);
      previousId = trade.getInt("id");
      // decoded from the msgpack timestamp extension with its nanoseconds intact
      assertTrue(trade.getString("timestampRaw").matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\.\\d{9}Z"), trade.toString());
    }
    for (JsonObject quote : quotes) {
      assertEquals("MSFT", quote.getString("symbol"));
      assertTrue(quote.getJsonNumber("bidPrice").doubleValue() < quote.getJsonNumber("askPrice").doubleValue(),
          quote.toString());
    }
  }

  /** Its trading stream ({@code alpaca.trading.stream({url})}) on the gateway's {@code /stream}. */
  @Test
  void theOfficialSdksTradingStreamReceivesAFill() throws Exception {
    String admin = "http://localhost:" + PORT + "/simulator/trading/admin";
    HttpClient http = HttpClient.newHttpClient();
    Await.until("the gateway's trading upstream on the simulator", Duration.ofSeconds(30), () -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(admin)).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("\"sessions\":1");
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    Run run = run(List.of("node", "trading.mjs", "ws://localhost:" + PORT + "/stream", "it-client",
        "it-client-secret", admin, "NVDA"), 60);
    assertEquals(0, run.exit(), run.output());
    JsonObject fill = run.events().stream()
        .filter(e -> "trade_update".equals(e.getString("event", "")) && "fill".equals(e.getString("type")))
        .findFirst().orElseThrow(() -> new AssertionError(run.output()));
    assertEquals("NVDA", fill.getString("symbol"));
    assertEquals("3", fill.getString("qty"));
    assertEquals("101.5", fill.getString("price"));
    assertTrue(fill.getString("timestamp").endsWith("Z"), fill.toString());
  }

  @Test
  void theOfficialSdkSeesAlpacasAuthFailedForAWrongSecret() throws Exception {
    Run run = stream("not-the-secret");
    assertEquals(3, run.exit(), run.output());
    assertTrue(run.events().stream().anyMatch(e -> "auth".equals(e.getString("event", ""))
        && !e.getBoolean("authenticated") && e.getInt("code") == 402), run.output());
  }
}
