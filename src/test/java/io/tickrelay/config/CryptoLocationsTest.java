package io.tickrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code TICKRELAY_ALPACA_CRYPTO_LOCATIONS}: a list of Alpaca crypto locations, {@code none} for none. */
class CryptoLocationsTest {

  private static List<String> locations(String value) {
    GatewayConfig config = new GatewayConfig();
    config.cryptoLocations = value;
    return config.alpacaCryptoLocations();
  }

  @Test
  void listInOrderWithoutBlanksOrRepeats() {
    assertEquals(List.of("us"), locations("us"));
    assertEquals(List.of("us", "eu-1"), locations(" us , eu-1,,us "));
  }

  @Test
  void noneOrEmptyDisablesCrypto() {
    assertEquals(List.of(), locations("none"));
    assertEquals(List.of(), locations("NONE"));
    assertEquals(List.of(), locations(""));
  }
}
