package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.InputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Binance's {@code GET /api/v3/exchangeInfo} (the docs' example, trimmed, plus a halted pair and a
 * quote asset the gateway does not map) read into the symbols a client may subscribe, and the
 * simulator's answer read back the same way.
 */
class ExchangeInfoTest {

  private static JsonObject read(InputStream in) {
    try (JsonReader reader = Json.createReader(in)) {
      return reader.readObject();
    }
  }

  @Test
  void onlyTradingPairsWithAMappedQuoteAssetAreListed() {
    JsonObject info = read(getClass().getResourceAsStream("/binance/exchangeInfo-excerpt.json"));
    assertEquals(Set.of("ETH/BTC", "BTC/USDT"), ExchangeInfo.tradingSymbols(info, BinanceSymbols.defaults()));
  }

  @Test
  void theSimulatorListsItsSymbolsInBinancesShape() {
    String body = ExchangeInfo.of(List.of("BTCUSDT", "ETHBTC", "BNBFDUSD"), BinanceSymbols.defaults());
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      assertEquals(Set.of("BTC/USDT", "ETH/BTC", "BNB/FDUSD"),
          ExchangeInfo.tradingSymbols(reader.readObject(), BinanceSymbols.defaults()));
    }
  }

  @Test
  void aBodyWithoutSymbolsIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> ExchangeInfo.tradingSymbols(Json.createObjectBuilder().build(), BinanceSymbols.defaults()));
  }
}
