/**
 * The internal publish API: authenticated producers (strategy engines, order executors) publish
 * JSON events on named channels with {@code POST /api/v1/publish/{channel}}; each accepted request
 * enters the {@code published} stream as one {@link io.tickrelay.marketdata.MarketDataReceived}, so
 * distribution delivers it to entitled {@code /x/v1/channels} subscribers like market data.
 * Publisher credentials, per-publisher rates and payload validation live here; the wire shape
 * ({@code x-event}) lives in protocol.
 */
package io.tickrelay.publish;
