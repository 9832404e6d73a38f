/**
 * The distribution side: the Alpaca-compatible client endpoint, a container-independent hub of
 * client sessions (auth, entitlements, limits, bad input) behind a thin CDI shell, and the
 * fan-out that numbers, journals and encodes each event once and feeds every subscriber's outbox;
 * the union of subscriptions is the demand the upstream side serves.
 */
package io.tickrelay.distribution;
