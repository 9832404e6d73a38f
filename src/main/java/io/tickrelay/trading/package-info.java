/**
 * Alpaca trade updates: the account's trading stream ({@code wss://paper-api.alpaca.markets/stream})
 * held once by the gateway and redistributed on the gateway path {@code /stream} in Alpaca's
 * trading-stream protocol, so an official SDK's trading stream works by changing only its URL and
 * credentials. Owns the trading-stream codec, the upstream connection, the downstream hub and
 * endpoint, and a trading-stream simulator for simulator mode and tests.
 *
 * <p>Protocol facts used throughout (docs.alpaca.markets/docs/websocket-streaming; SDKs
 * alpacahq/alpaca-trade-api-js lib/resources/websockets.js, alpacahq/alpaca-py
 * alpaca/trading/stream.py):
 *
 * <ul>
 *   <li>client: {@code {"action":"authenticate","data":{"key_id":..,"secret_key":..}}} (both SDKs)
 *       or, in newer docs, {@code {"action":"auth","key":..,"secret":..}};
 *   <li>server: {@code {"stream":"authorization","data":{"status":"authorized"|"unauthorized",
 *       "action":"authenticate"}}}; a listen before auth gets the same with {@code "action":"listen"};
 *   <li>client: {@code {"action":"listen","data":{"streams":["trade_updates"]}}}, the full set each
 *       time (an empty list stops); server: {@code {"stream":"listening","data":{"streams":[..]}}}
 *       listing only the streams that are available;
 *   <li>events: {@code {"stream":"trade_updates","data":{"event":"fill","timestamp":..,"price":..,
 *       "qty":..,"position_qty":..,"order":{..}}}};
 *   <li>in-stream errors: {@code {"action":"error","data":{"error_message":".."}}};
 *   <li>the paper endpoint sends JSON in binary frames (the docs' note); the SDKs parse either.
 *       MessagePack is offered upstream on request ({@code Content-Type: application/msgpack}); the
 *       gateway speaks JSON only.
 * </ul>
 */
package io.tickrelay.trading;
