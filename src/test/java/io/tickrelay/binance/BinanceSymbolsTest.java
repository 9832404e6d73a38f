package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickrelay.marketdata.Channel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinanceSymbolsTest {

  private final BinanceSymbols symbols = BinanceSymbols.defaults();

  @Test
  void splitsByTheLongestQuoteAssetThatEndsTheSymbol() {
    assertEquals(Optional.of("BTC/USDT"), symbols.toGateway("BTCUSDT"));
    assertEquals(Optional.of("ETH/BTC"), symbols.toGateway("ETHBTC"));
    assertEquals(Optional.of("BNB/FDUSD"), symbols.toGateway("bnbfdusd"));
    assertEquals(Optional.of("BTC/EUR"), symbols.toGateway("BTCEUR"));
    // USDT ends in no shorter configured asset, but BTCUSDC must not become BTCUSD/C
    assertEquals(Optional.of("BTC/USDC"), symbols.toGateway("BTCUSDC"));
    assertEquals(Optional.empty(), symbols.toGateway("USDT"), "a quote asset alone has no base");
    assertEquals(Optional.empty(), symbols.toGateway("BTCXYZ"));
  }

  @Test
  void longestMatchWinsWhateverTheConfiguredOrder() {
    BinanceSymbols custom = new BinanceSymbols(List.of("USD", "USDT"));
    assertEquals(Optional.of("BTC/USDT"), custom.toGateway("BTCUSDT"));
    assertEquals(Optional.of("BTC/USD"), custom.toGateway("BTCUSD"));
  }

  @Test
  void gatewaySymbolsMapBackOnlyWhenTheRoundTripHolds() {
    assertEquals(Optional.of("BTCUSDT"), symbols.toBinance("BTC/USDT"));
    assertEquals(Optional.empty(), symbols.toBinance("BTC/USD"), "USD is not a configured quote asset");
    assertEquals(Optional.empty(), symbols.toBinance("BTCUSDT"));
    assertEquals(Optional.empty(), symbols.toBinance("*"));
    assertEquals(Optional.empty(), symbols.toBinance("btc/usdt"));
    assertEquals(Optional.empty(), symbols.toBinance("A/B/USDT"));
    // XUSDT/BTC would be sent as XUSDTBTC and come back as XUSDT/BTC: fine; but
    // ABC/USDT with quote list {USDT, TUSDT}? BTCT/USDT -> BTCTUSDT -> BTC/TUSDT: refused
    BinanceSymbols custom = new BinanceSymbols(List.of("USDT", "TUSDT"));
    assertEquals(Optional.empty(), custom.toBinance("BTCT/USDT"));
  }

  @Test
  void streamNamesAreLowerCaseWithTheChannelSuffix() {
    assertEquals(Optional.of("btcusdt@trade"), symbols.streamName(Channel.TRADES, "BTC/USDT"));
    assertEquals(Optional.of("ethbtc@bookTicker"), symbols.streamName(Channel.QUOTES, "ETH/BTC"));
    assertEquals(Optional.of("btcusdt@kline_1m"), symbols.streamName(Channel.BARS, "BTC/USDT"));
    assertEquals(Optional.empty(), symbols.streamName(Channel.ORDERBOOKS, "BTC/USDT"));
    assertEquals(Optional.empty(), symbols.streamName(Channel.UPDATED_BARS, "BTC/USDT"));
    assertEquals(Optional.empty(), symbols.streamName(Channel.DAILY_BARS, "BTC/USDT"));
  }

  @Test
  void parsesStreamNamesBack() {
    assertEquals(Optional.of(new BinanceSymbols.StreamKey(Channel.QUOTES, "BTC/USDT")),
        symbols.parseStream("btcusdt@bookTicker"));
    assertEquals(Optional.empty(), symbols.parseStream("btcusdt@depth"));
    assertEquals(Optional.empty(), symbols.parseStream("nonsense"));
  }

  @Test
  void refusesUnusableQuoteAssets() {
    assertThrows(IllegalArgumentException.class, () -> new BinanceSymbols(List.of(" ")));
    assertThrows(IllegalArgumentException.class, () -> new BinanceSymbols(List.of("US/DT")));
  }
}
