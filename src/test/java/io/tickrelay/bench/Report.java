package io.tickrelay.bench;

import java.util.List;
import java.util.Map;

/** The run's figures as one table on stdout and as JSON. */
final class Report {

  private Report() {}

  static void print(Settings settings, Map<String, Object> machine, List<Map<String, Object>> phases,
      Map<String, Object> summary) {
    System.out.println();
    System.out.println("Tickrelay benchmark  " + machine.get("at") + "  " + machine.get("cores")
        + " cores, " + machine.get("cpu") + ", load at start " + machine.get("load_at_start"));
    String header = String.format("%-20s %7s %5s %8s %10s %10s %8s %6s %8s %8s %8s %8s %6s %6s",
        "phase", "clients", "K/S", "trades/s", "expected", "msgs/s", "missing", "gaps",
        "p50 ms", "p99 ms", "p999 ms", "max ms", "gwCPU", "tlCPU");
    System.out.println(header);
    System.out.println("-".repeat(header.length()));
    for (Map<String, Object> r : phases) {
      if (r.get("phase").equals("idle") || r.get("phase").equals("churn")) {
        continue;
      }
      System.out.println(String.format(
          "%-20s %7d %5s %8.0f %10d %10.0f %8d %6d %8.1f %8.1f %8.1f %8.1f %6.2f %6.2f",
          r.get("phase"), num(r, "clients").intValue(),
          num(r, "symbols_per_client").intValue() + "/" + num(r, "symbols").intValue(),
          num(r, "published_trades_per_second").doubleValue(),
          num(r, "expected_messages").longValue(), num(r, "delivered_per_second").doubleValue(),
          num(r, "missing_messages").longValue(), num(r, "gaps").longValue(),
          num(r, "latency_p50_ms").doubleValue(), num(r, "latency_p99_ms").doubleValue(),
          num(r, "latency_p999_ms").doubleValue(), num(r, "latency_max_ms").doubleValue(),
          num(r, "gateway_cpu_cores").doubleValue(), num(r, "tool_cpu_cores").doubleValue()));
      Object errors = r.get("errors");
      if (errors instanceof Map<?, ?> m && !m.isEmpty()) {
        System.out.println("    client errors/closes: " + m);
      }
    }
    for (Map<String, Object> r : phases) {
      if (r.get("phase").equals("idle")) {
        if (r.containsKey("heap_per_client_bytes")) {
          System.out.println(String.format(
              "idle: %d clients (%s authenticated): heap %.1f -> %.1f MB (%d B/client),"
                  + " RSS %.1f -> %.1f MB (%d B/client)",
              num(r, "clients").intValue(), r.get("connected"),
              num(r, "heap_before_bytes").longValue() / 1e6, num(r, "heap_after_bytes").longValue() / 1e6,
              num(r, "heap_per_client_bytes").longValue(),
              num(r, "rss_before_bytes").longValue() / 1e6, num(r, "rss_after_bytes").longValue() / 1e6,
              num(r, "rss_per_client_bytes").longValue()));
        } else {
          System.out.println("idle: " + r.get("note"));
        }
      }
    }
    for (Map<String, Object> r : phases) {
      if (r.get("phase").equals("churn")) {
        System.out.println(Churn.line(r));
      }
    }
    System.out.println("summary: " + summary);
    System.out.println("(gwCPU/tlCPU: gateway / load-generator CPU in cores; latency: upstream t to"
        + " client receipt)");
  }

  private static Number num(Map<String, Object> r, String key) {
    Object v = r.get(key);
    return v instanceof Number n ? n : -1;
  }

  /** A small JSON writer for maps, lists, strings, numbers and booleans. */
  static String json(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, "");
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object v, String indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Map<?, ?> m) {
      b.append("{");
      String inner = indent + "  ";
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "\n" : ",\n").append(inner);
        string(b, String.valueOf(e.getKey()));
        b.append(": ");
        write(b, e.getValue(), inner);
        first = false;
      }
      b.append(first ? "}" : "\n" + indent + "}");
    } else if (v instanceof List<?> l) {
      b.append("[");
      String inner = indent + "  ";
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "\n" : ",\n").append(inner);
        write(b, l.get(i), inner);
      }
      b.append(l.isEmpty() ? "]" : "\n" + indent + "]");
    } else if (v instanceof Double d) {
      b.append(d.isNaN() || d.isInfinite() ? "null" : String.format("%.3f", d));
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else {
      string(b, v.toString());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }
}
