/**
 * The admission policy every client-facing hub shares (market-data paths, published channels and
 * {@code /stream}): one global connection cap and one per-credential count across all of them, an
 * auth deadline for every socket until it authenticates, failed authentications throttled per key
 * and per remote address, a cap on unauthenticated sockets per address, and one catalogue of the
 * kinds of refusal that status and metrics count. Container-independent; a thin CDI shell builds it.
 */
package io.tickrelay.admission;
