package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recorded payloads of upstream-protocols.md §2.2 and §2.4. */
class BinanceFramesTest {

  private static final Instant RECEIVED = Instant.parse("2026-12-01T22:00:00Z");
  private final BinanceFrames frames = new BinanceFrames(BinanceSymbols.defaults());

  @Test
  void rawTradeBecomesACryptoTradeWithTheTakerFromTheMakerFlag() {
    BinanceFrame.Data data = assertInstanceOf(BinanceFrame.Data.class, frames.decode(
        "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":12345,\"p\":\"0.001\",\"q\":\"100\","
            + "\"T\":1672515782136,\"m\":true,\"M\":true}", RECEIVED));
    assertEquals(List.of(new BinanceFrame.Normalized(
        new CryptoTrade("BNB/BTC", 12345, 0.001, 100, Instant.ofEpochMilli(1672515782136L), "S"),
        "t:BNB/BTC", 12345)), data.events());
  }

  @Test
  void combinedEnvelopeIsUnwrapped() {
    BinanceFrame.Data data = assertInstanceOf(BinanceFrame.Data.class, frames.decode(
        "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":9007199254740993,"
            + "\"p\":\"97000.10000000\",\"q\":\"0.00120000\",\"T\":2,\"m\":false,\"M\":true}}", RECEIVED));
    assertEquals("btcusdt@trade", data.stream());
    CryptoTrade trade = (CryptoTrade) data.events().get(0).event();
    assertEquals("B", trade.takerSide(), "a taker buyer when the buyer is not the maker");
    assertEquals(9007199254740993L, trade.id(), "ids above 2^53 survive");
    assertEquals(97000.1, trade.price());
    assertEquals(0.0012, trade.size());
  }

  @Test
  void bookTickerBecomesAQuoteStampedOnReceipt() {
    BinanceFrame.Data data = assertInstanceOf(BinanceFrame.Data.class, frames.decode(
        "{\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\","
            + "\"a\":\"25.36520000\",\"A\":\"40.66000000\"}", RECEIVED));
    assertEquals(List.of(new BinanceFrame.Normalized(
        new CryptoQuote("BNB/USDT", 25.3519, 31.21, 25.3652, 40.66, RECEIVED), "q:BNB/USDT", 400900217)),
        data.events());
  }

  @Test
  void openKlineGivesNothingAndAClosedOneAMinuteBar() {
    String open = "{\"e\":\"kline\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"k\":{\"t\":1672515780000,"
        + "\"T\":1672515839999,\"s\":\"BNBBTC\",\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":\"0.0010\","
        + "\"c\":\"0.0020\",\"h\":\"0.0025\",\"l\":\"0.0015\",\"v\":\"1000\",\"n\":100,\"x\":false,"
        + "\"q\":\"1.0000\",\"V\":\"500\",\"Q\":\"0.500\",\"B\":\"123456\"}}";
    assertEquals(new BinanceFrame.Data(null, List.of()), frames.decode(open, RECEIVED));
    BinanceFrame.Data closed = assertInstanceOf(BinanceFrame.Data.class,
        frames.decode(open.replace("\"x\":false", "\"x\":true"), RECEIVED));
    assertEquals(List.of(new BinanceFrame.Normalized(
        new CryptoBar(Bar.Kind.MINUTE, "BNB/BTC", 0.001, 0.0025, 0.0015, 0.002, 1000, 100, 0.001,
            Instant.ofEpochMilli(1672515780000L)), "b:BNB/BTC", 1672515780000L)), closed.events());
  }

  @Test
  void repliesAndErrorsKeepTheirIds() {
    assertEquals(new BinanceFrame.Reply("1", "null"), frames.decode("{\"result\":null,\"id\":1}", RECEIVED));
    assertEquals(new BinanceFrame.Reply("3", "[\"btcusdt@aggTrade\"]"),
        frames.decode("{\"result\":[\"btcusdt@aggTrade\"],\"id\":3}", RECEIVED));
    assertEquals(new BinanceFrame.Failure("2", 2, "Invalid request: invalid stream"),
        frames.decode("{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream\"},\"id\":2}", RECEIVED));
  }

  @Test
  void serverShutdownInBothShapes() {
    assertEquals(new BinanceFrame.ServerShutdown(1770123456789L),
        frames.decode("{\"e\":\"serverShutdown\",\"E\":1770123456789}", RECEIVED));
    assertEquals(new BinanceFrame.ServerShutdown(1770123456789L), frames.decode(
        "{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":1770123456789}}", RECEIVED));
  }

  @Test
  void badOrUnusedFramesAreIgnoredNotThrown() {
    for (String text : List.of("not json", "[1,2]", "{\"e\":\"depthUpdate\",\"s\":\"BNBBTC\"}",
        "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":\"x\"}", "{\"e\":\"trade\",\"s\":\"BTCXYZ\",\"t\":1}",
        "{\"e\":\"kline\",\"s\":\"BTCUSDT\"}", "{\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"x\",\"a\":\"1\"}")) {
      assertInstanceOf(BinanceFrame.Ignored.class, frames.decode(text, RECEIVED), text);
    }
  }
}
