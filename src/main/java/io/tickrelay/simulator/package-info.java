/**
 * The embedded upstream: a WebSocket server speaking Alpaca's market-data stream protocol with
 * simulated prices, used when no Alpaca account is configured and by the tests. All of its
 * protocol behaviour lives in {@link io.tickrelay.simulator.AlpacaSimulator}.
 */
package io.tickrelay.simulator;
