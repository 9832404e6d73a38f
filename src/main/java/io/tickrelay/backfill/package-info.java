/**
 * Backfill: what an upstream outage cost, fetched from the provider's history after the fact.
 * {@link io.tickrelay.backfill.MissedData} is the port the rest of the gateway calls (a stream, a
 * window, the symbols per channel); it runs on the container's managed executor, under a deadline
 * and page/event limits, and answers with the recovered events in time order and, per channel,
 * what was recovered and what could not be. Providers plug in as {@link
 * io.tickrelay.backfill.HistorySource} beans in their own packages; {@link
 * io.tickrelay.backfill.HistoryHttp} gives them rate-limited, retried, time-bounded JSON GETs.
 * Nothing here names a provider.
 */
package io.tickrelay.backfill;
