package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Binance simulator's control requests: JSON Parsson refuses with something other than a
 * JsonException (nesting past 1000, an exponent beyond int range) gets Binance's "Invalid JSON"
 * answer too, instead of escaping from the endpoint (review L3, the same escape).
 */
class ControlRequestParseTest {

  @Test
  void deepNestingAndHugeExponentsAreInvalidJson() {
    for (String text : new String[] {
        "[".repeat(2000) + "]".repeat(2000), "{\"method\":1e-2147483649}", "{nope"}) {
      ControlRequest.Refused refused =
          assertThrows(ControlRequest.Refused.class, () -> ControlRequest.parse(text));
      assertTrue(refused.reply.contains("Invalid JSON"), refused.reply);
    }
  }
}
