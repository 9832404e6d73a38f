package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tickrelay.testing.WsProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review L3: on {@code /stream}, JSON the parser refuses with something other than a {@code
 * JsonException} (Parsson: a bare RuntimeException past 1000 nesting levels, NumberFormatException
 * for an exponent beyond int range) escaped as a WARNING stack trace per message, before any
 * authentication, and got no answer. Now: Alpaca's trading-stream error frame, nothing logged.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TradingParseErrorsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final URI STREAM = URI.create("ws://localhost:" + PORT + "/stream");
  private static final String INVALID =
      "{\"action\":\"error\",\"data\":{\"error_message\":\"invalid syntax\"}}";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @Test
  void deepNestingAndHugeExponentsGetAnErrorFrameAndNoStackTrace() throws Exception {
    java.util.Map<Path, Long> before = logSizes();
    try (WsProbe client = WsProbe.connect(STREAM)) {
      client.send("[".repeat(2000) + "]".repeat(2000));
      assertEquals(INVALID, awaitJson(client, "error"));
      client.clear();
      client.send("{\"action\":1e-2147483649}");
      assertEquals(INVALID, awaitJson(client, "error"));
      client.clear();
      client.send("{\"action\":\"auth\",\"key\":1e999999999999,\"secret\":\"x\"}");
      assertEquals(INVALID, awaitJson(client, "error"));
    }
    String logs = serverLogsSince(before);
    assertFalse(logs.contains("too deeply nested"), "the nesting error was logged");
    assertFalse(logs.contains("Exponent overflow"), "the number error was logged");
  }

  private static String awaitJson(WsProbe client, String fragment) throws InterruptedException {
    return new String(client.awaitBinary(
        b -> new String(b, StandardCharsets.UTF_8).contains(fragment), WAIT), StandardCharsets.UTF_8);
  }

  /** Where OperationsIT reads them: Liberty's log directory, or the log the Payara build names. */
  private static Path logDirectory() {
    return Path.of(System.getProperty("tickrelay.it.server.logs",
        "target/liberty-usr/servers/" + System.getProperty("tickrelay.it.server", "tickrelay-it") + "/logs"));
  }

  private static java.util.Map<Path, Long> logSizes() throws IOException {
    java.util.Map<Path, Long> sizes = new java.util.HashMap<>();
    try (var files = Files.walk(logDirectory())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        sizes.put(file, Files.size(file));
      }
    }
    return sizes;
  }

  /** What the server logged after {@code before} (logs of earlier runs stay in the directory). */
  private static String serverLogsSince(java.util.Map<Path, Long> before) {
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(logDirectory())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        int from = (int) Math.min(bytes.length, before.getOrDefault(file, 0L));
        all.append(new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }
}
