package io.tickrelay.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.upstream.ErrorStrategies;
import io.tickrelay.upstream.FailureReaction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** One row per Alpaca error code (upstream-protocols.md §1.6). */
class AlpacaErrorsTest {

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
    assertEquals(reaction, AlpacaErrors.forCode(code).reaction());
    assertEquals(code, AlpacaErrors.forCode(code).code());
  }

  @ParameterizedTest
  @EnumSource(AlpacaError.class)
  void everyDocumentedCodeHasAMeaningAndARemedy(AlpacaError error) {
    ErrorStrategies.ErrorStrategy row = AlpacaErrors.forCode(error.code());
    assertFalse(row.meaning().isBlank());
    assertFalse(row.remedy().isBlank());
    assertFalse(row.meaning().startsWith("an error the provider does not document"), error.name());
  }
}
