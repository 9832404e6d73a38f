/**
 * The gateway's Prometheus series and their scrape at {@code GET /metrics}: gauges read at scrape
 * time and the delivery-latency histogram, rendered by the WAR itself so that the same text, behind
 * the same operator credential ({@code access.OperatorFilter}), is served on every server. Every
 * capability registers its own series here; this package imports none of them.
 */
package io.tickrelay.metrics;
