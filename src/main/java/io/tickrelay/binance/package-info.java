/**
 * Binance spot market streams (upstream-protocols.md §2): the protocol adapter that holds the
 * gateway's {@code crypto/binance} stream, the normalization of Binance's {@code trade}, {@code
 * bookTicker} and {@code kline_1m} payloads into Alpaca's crypto shapes, the symbol mapping
 * ({@code BTCUSDT} to {@code BTC/USDT}), the control-message pacing Binance's 5 messages per second
 * limit needs, and a Binance-protocol simulator the gateway embeds in simulator mode.
 */
package io.tickrelay.binance;
