package io.tickrelay.upstream;

import io.tickrelay.marketdata.Interest;

/**
 * One subscription frame sent upstream and how its answer is recognised.
 *
 * @param id the id the provider's ack or error will carry (Binance {@code "id"}); {@code null} when
 *     the provider answers requests in the order it got them (Alpaca)
 * @param subject what a {@link FailureReaction#DROP_CHANNEL} refusal of this request drops
 *     ({@link Interest#none()} for an unsubscribe)
 */
public record SubscriptionRequest(Frame frame, Object id, Interest subject) {}
