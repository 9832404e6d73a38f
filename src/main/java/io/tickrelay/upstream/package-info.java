/**
 * The upstream side, provider-neutral: one {@link io.tickrelay.upstream.ConnectionGroup} per
 * stream, defined by the {@link io.tickrelay.upstream.UpstreamProvider} beans of the provider
 * packages; each connection runs the shared lifecycle ({@link
 * io.tickrelay.upstream.UpstreamConnection}: authenticate before it counts as live, hold exactly the
 * union of client demand, reconnect with backoff, rotate before a maximum session age) over its
 * provider's {@link io.tickrelay.upstream.UpstreamProtocol}, and publishes what arrives as {@link
 * io.tickrelay.marketdata.MarketDataReceived}.
 */
package io.tickrelay.upstream;
