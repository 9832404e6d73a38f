package io.tickrelay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The scrape text, as Prometheus' parser reads it (exposition format 0.0.4). */
class MetricsTest {

  @Test
  void aFamilyHasOneHelpAndTypeAndItsSamplesTogetherReadAtScrapeTime() {
    Metrics metrics = new Metrics();
    AtomicLong refused = new AtomicLong(3);
    metrics.gauge("tickrelay_clients_refusals", "Refusals of one kind", refused::get, "kind", "flood");
    metrics.gauge("tickrelay_clients_connected", "Open client connections", () -> 7);
    metrics.gauge("tickrelay_clients_refusals", "Refusals of one kind", () -> 0, "kind", "slow");
    refused.set(5);

    assertEquals("""
        # HELP tickrelay_clients_refusals Refusals of one kind
        # TYPE tickrelay_clients_refusals gauge
        tickrelay_clients_refusals{kind="flood"} 5.0
        tickrelay_clients_refusals{kind="slow"} 0.0
        # HELP tickrelay_clients_connected Open client connections
        # TYPE tickrelay_clients_connected gauge
        tickrelay_clients_connected 7.0
        """, metrics.scrape());
  }

  @Test
  void aSeriesRegisteredTwiceKeepsItsFirstRegistration() {
    Metrics metrics = new Metrics();
    metrics.gauge("tickrelay_upstream_connected", "1 while live", () -> 1, "connection", "a");
    metrics.gauge("tickrelay_upstream_connected", "1 while live", () -> 0, "connection", "a");
    assertEquals(1, metrics.scrape().lines().filter(l -> l.startsWith("tickrelay_upstream_connected{")).count());
    assertTrue(metrics.scrape().contains("tickrelay_upstream_connected{connection=\"a\"} 1.0"));
  }

  @Test
  void labelValuesAndHelpAreEscapedAndOddValuesSpelledAsPrometheusReadsThem() {
    Metrics metrics = new Metrics();
    metrics.gauge("tickrelay_odd", "a \\ help\nline", () -> Double.NaN, "stream", "q\"uo\\te\nd");
    metrics.gauge("tickrelay_big", "big", () -> Double.POSITIVE_INFINITY);
    metrics.gauge("tickrelay_broken", "throws", () -> {
      throw new IllegalStateException("a bug");
    });
    String text = metrics.scrape();
    assertTrue(text.contains("# HELP tickrelay_odd a \\\\ help\\nline\n"), text);
    assertTrue(text.contains("tickrelay_odd{stream=\"q\\\"uo\\\\te\\nd\"} NaN\n"), text);
    assertTrue(text.contains("tickrelay_big +Inf\n"), text);
    assertTrue(text.contains("tickrelay_broken NaN\n"), "a throwing gauge reads NaN, the rest still render");
  }

  @Test
  void theHistogramIsCumulativeWithInclusiveUpperBounds() {
    Metrics metrics = new Metrics();
    Histogram latency = metrics.histogram("tickrelay_delivery_latency_seconds", "latency", 0.01, 0.001, 1);
    for (long nanos : List.of(500_000L, 1_000_000L, 1_000_001L, 2_000_000_000L, -5L)) {
      latency.recordNanos(nanos);
    }
    assertEquals("""
        # HELP tickrelay_delivery_latency_seconds latency
        # TYPE tickrelay_delivery_latency_seconds histogram
        tickrelay_delivery_latency_seconds_bucket{le="0.001"} 3
        tickrelay_delivery_latency_seconds_bucket{le="0.01"} 4
        tickrelay_delivery_latency_seconds_bucket{le="1.0"} 4
        tickrelay_delivery_latency_seconds_bucket{le="+Inf"} 5
        tickrelay_delivery_latency_seconds_sum 2.002500001
        tickrelay_delivery_latency_seconds_count 5
        """, metrics.scrape());
  }
}
