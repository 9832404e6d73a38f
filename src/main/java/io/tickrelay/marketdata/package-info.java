/**
 * Normalized market-data events and the demand signals that connect the two sides of the gateway:
 * the upstream side produces {@link io.tickrelay.marketdata.MarketDataReceived}, the distribution
 * side consumes it and reports client interest as {@link io.tickrelay.marketdata.DemandChanged}.
 */
package io.tickrelay.marketdata;
