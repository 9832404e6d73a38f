package io.tickrelay.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * The registry of the gateway's series, in registration order. Series come and go with the
 * application (upstream connections register theirs when they first appear), never with a request,
 * so the list stays small and copy-on-write is cheap.
 */
@ApplicationScoped
public class Metrics {

  private final List<Series> series = new CopyOnWriteArrayList<>();

  /**
   * A gauge read at scrape time. Labels come in pairs, name then value; a name and labels
   * registered twice keep the first registration.
   */
  public void gauge(String name, String help, DoubleSupplier value, String... labelPairs) {
    Map<String, String> labels = labels(labelPairs);
    synchronized (series) {
      boolean known = series.stream().anyMatch(s -> s.name().equals(name) && s.labels().equals(labels));
      if (!known) {
        series.add(new Series(name, help, "gauge", labels, value, null));
      }
    }
  }

  /** A histogram with these upper bounds in seconds; the name should end in {@code _seconds}. */
  public Histogram histogram(String name, String help, double... upperBoundsSeconds) {
    Histogram histogram = new Histogram(upperBoundsSeconds);
    series.add(new Series(name, help, "histogram", Map.of(), null, histogram));
    return histogram;
  }

  /** Every series in the text format, a family's samples together under one HELP and TYPE. */
  public String scrape() {
    Map<String, List<Series>> families = new LinkedHashMap<>();
    for (Series s : series) {
      families.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
    }
    PrometheusText text = new PrometheusText();
    for (List<Series> family : families.values()) {
      Series first = family.get(0);
      text.family(first.name(), first.help(), first.type());
      for (Series s : family) {
        if (s.histogram() == null) {
          text.sample(s.name(), s.labels(), PrometheusText.number(read(s.gauge())));
        } else {
          histogram(text, s);
        }
      }
    }
    return text.toString();
  }

  private static void histogram(PrometheusText text, Series s) {
    Histogram.Snapshot snapshot = s.histogram().snapshot();
    for (int i = 0; i < snapshot.upperBounds().length; i++) {
      text.sample(s.name() + "_bucket", with(s.labels(), "le", PrometheusText.number(snapshot.upperBounds()[i])),
          Long.toString(snapshot.cumulative()[i]));
    }
    text.sample(s.name() + "_bucket", with(s.labels(), "le", "+Inf"), Long.toString(snapshot.count()));
    text.sample(s.name() + "_sum", s.labels(), PrometheusText.number(snapshot.sum()));
    text.sample(s.name() + "_count", s.labels(), Long.toString(snapshot.count()));
  }

  /** A gauge that throws is a bug to see in the scrape (NaN), not a reason to lose the others. */
  private static double read(DoubleSupplier gauge) {
    try {
      return gauge.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static Map<String, String> labels(String... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in name/value pairs");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(labels);
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.put(name, value);
    return all;
  }

  private record Series(
      String name, String help, String type, Map<String, String> labels, DoubleSupplier gauge,
      Histogram histogram) {}
}
