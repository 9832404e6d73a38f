/**
 * The embedded upstream: a WebSocket server speaking Alpaca's market-data stream protocol with
 * simulated prices, stocks on {@code /simulator/v2/{feed}} and crypto on {@code
 * /simulator/v1beta3/crypto/{loc}}, used when no Alpaca account is configured and by the tests. All of its
 * protocol behaviour lives in {@link io.tickrelay.simulator.AlpacaSimulator}.
 */
package io.tickrelay.simulator;
