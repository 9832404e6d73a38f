package io.tickrelay.marketdata;

/**
 * The union of client interest changed: {@code added} lists the (channel, symbol) pairs that just
 * gained their first interested client, {@code removed} those that just lost their last one. The
 * upstream side subscribes and unsubscribes from these.
 */
public record DemandChanged(Interest added, Interest removed) {}
