package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tickrelay.protocol.AlpacaError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** One row per failure: Alpaca error codes (upstream-protocols.md §1.6) and handshake statuses. */
class ErrorStrategiesTest {

  @ParameterizedTest(name = "Alpaca {0} -> {1}")
  @CsvSource({
    "400, CARRY_ON",
    "401, RECONNECT",
    "402, RECONNECT_SLOWLY",
    "403, CARRY_ON",
    "404, RECONNECT",
    "405, REJECT_REQUEST",
    "406, WAIT_FOR_SLOT",
    "407, RECONNECT_COUNTED",
    "409, NEXT_FEED",
    "410, DROP_CHANNEL",
    "500, RECONNECT",
    "408, RECONNECT",
    "499, RECONNECT",
    "0, RECONNECT",
    "-1, RECONNECT"
  })
  void alpacaCodes(int code, FailureReaction reaction) {
    assertEquals(reaction, ErrorStrategies.forCode(code).reaction());
    assertEquals(reaction, FailureReaction.forCode(code));
    assertEquals(code, ErrorStrategies.forCode(code).code());
  }

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

  @ParameterizedTest
  @EnumSource(AlpacaError.class)
  void everyDocumentedCodeHasAMeaningAndARemedy(AlpacaError error) {
    ErrorStrategies.ErrorStrategy row = ErrorStrategies.forCode(error.code());
    assertFalse(row.meaning().isBlank());
    assertFalse(row.remedy().isBlank());
    assertFalse(row.meaning().startsWith("an error the provider does not document"), error.name());
  }
}
