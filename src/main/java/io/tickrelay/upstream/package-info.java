/**
 * The upstream side: holds the one provider connection per account, authenticates it before it
 * counts as live, keeps it subscribed to exactly the union of client demand, reconnects with
 * backoff and publishes what arrives as {@link io.tickrelay.marketdata.MarketDataReceived}.
 */
package io.tickrelay.upstream;
