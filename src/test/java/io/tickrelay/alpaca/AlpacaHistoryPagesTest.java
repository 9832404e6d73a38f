package io.tickrelay.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Trade;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alpaca's documented history pages read into the gateway's events, field by field. */
class AlpacaHistoryPagesTest {

  private static JsonObject page(String name) throws IOException {
    try (InputStream in = AlpacaHistoryPagesTest.class.getResourceAsStream("history/" + name)) {
      return Json.createReader(in).readObject();
    }
  }

  @Test
  void stockTradesKeepEveryFieldAndTheNextPageToken() throws IOException {
    AlpacaHistoryPages.Page page = AlpacaHistoryPages.read(page("multi-trades.json"), AlpacaHistoryPages.Kind.STOCK_TRADES);

    assertEquals(3, page.events().size());
    assertEquals(new Trade("AAPL", 1, "P", 178.26, 246, Instant.parse("2022-01-03T09:00:00.086175744Z"),
        List.of("@", "T", "I"), "C"), page.events().get(0));
    assertEquals("TSLA", page.events().get(2).symbol());
    assertTrue(page.nextPageToken().orElseThrow().startsWith("VFNMQXwy"));
  }

  @Test
  void stockBarsAreMinuteBarsStampedWithTheirStartAndANullTokenEndsThePaging() throws IOException {
    AlpacaHistoryPages.Page page = AlpacaHistoryPages.read(page("multi-bars.json"), AlpacaHistoryPages.Kind.STOCK_BARS);

    assertEquals(new Bar(Bar.Kind.MINUTE, "AAPL", 163.02, 165.42, 162.43, 165.12, 90552883, 743379, 164.274348,
        Instant.parse("2022-02-28T05:00:00Z")), page.events().get(0));
    assertTrue(page.nextPageToken().isEmpty());
  }

  @Test
  void cryptoTradesHaveFractionalSizesAndTheTakerSide() throws IOException {
    AlpacaHistoryPages.Page page = AlpacaHistoryPages.read(page("crypto-trades.json"), AlpacaHistoryPages.Kind.CRYPTO_TRADES);

    assertEquals(new CryptoTrade("BTC/USD", 32410311, 29687.22, 0.0015,
        Instant.parse("2022-05-18T12:01:00.386498Z"), "S"), page.events().get(0));
  }

  @Test
  void timestampsWithAnOffsetAreRead() {
    assertEquals(Instant.parse("2022-01-03T14:00:00.5Z"), AlpacaHistoryPages.time("2022-01-03T09:00:00.5-05:00"));
  }
}
