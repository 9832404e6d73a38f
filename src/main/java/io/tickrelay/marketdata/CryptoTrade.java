package io.tickrelay.marketdata;

import java.time.Instant;

/**
 * A crypto trade in Alpaca's v1beta3 shape ({@code T:"t"}; fractional size, taker side {@code B}
 * or {@code S}); Binance trades are normalized into it. Ids may exceed 2^53 (§1.5).
 */
public record CryptoTrade(
    String symbol, long id, double price, double size, Instant timestamp, String takerSide)
    implements MarketEvent {

  @Override
  public Channel channel() {
    return Channel.TRADES;
  }
}
