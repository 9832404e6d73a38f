package io.tickrelay.protocol;

import io.tickrelay.marketdata.Streams;

/**
 * Which of Alpaca's stream families a frame belongs to. The same type letter means different
 * records on each ({@code T:"t"} is a stock trade with exchange and tape on {@code /v2/{feed}}, a
 * crypto trade with fractional size and taker side on {@code /v1beta3/crypto/{loc}}), and the two
 * acknowledge subscriptions with different keys (upstream-protocols.md §1.4, §1.5).
 */
public enum AssetClass {
  STOCKS,
  CRYPTO;

  /** The family a gateway stream ({@link Streams}) speaks: crypto for every {@code crypto/...}. */
  public static AssetClass ofStream(String stream) {
    return Streams.isCrypto(stream) ? CRYPTO : STOCKS;
  }
}
