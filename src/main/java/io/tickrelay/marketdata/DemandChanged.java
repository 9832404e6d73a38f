package io.tickrelay.marketdata;

/**
 * The union of client interest in one stream changed: {@code added} lists the (channel, symbol)
 * pairs that just gained their first interested client, {@code removed} those that just lost their
 * last one. The upstream side of that stream subscribes and unsubscribes from these.
 */
public record DemandChanged(String stream, Interest added, Interest removed) {}
