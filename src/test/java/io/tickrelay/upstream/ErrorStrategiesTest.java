package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per provider-neutral failure: handshake statuses (upstream-protocols.md §1.6 "HTTP-level"). */
class ErrorStrategiesTest {

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "429, THROTTLED",
    "503, THROTTLED",
    "401, RECONNECT_SLOWLY",
    "403, RECONNECT_SLOWLY",
    "404, RECONNECT_SLOWLY",
    "500, RECONNECT",
    "502, RECONNECT"
  })
  void handshakeStatuses(int status, FailureReaction reaction) {
    assertEquals(reaction, ErrorStrategies.forHandshakeStatus(status).reaction());
  }
}
