package io.tickrelay.marketdata;

/**
 * The upstream refused part of a stream's demand (Alpaca {@code 405 symbol limit exceeded}): the
 * gateway no longer holds {@code interest} upstream, and the clients that asked for it are told
 * with the provider's {@code code} and {@code reason}.
 */
public record SubscriptionRefused(String stream, Interest interest, int code, String reason) {}
