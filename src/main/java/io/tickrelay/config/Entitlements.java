package io.tickrelay.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Limits per client credential: how many connections it may hold at once ({@code 406}) and how
 * many symbols one connection may subscribe ({@code 405}). Read from {@code
 * TICKRELAY_CLIENT_LIMITS}, {@code key:connections:symbols,...} ({@code *} = unlimited), over the
 * defaults for keys it does not name. Feeds stay in {@code TICKRELAY_CLIENTS}. Every client hub
 * applies the connection limit (the trading stream's too).
 */
public final class Entitlements {

  /** The limits of one credential. */
  public record Limits(int connections, int symbols) {}

  private final Limits defaults;
  private final Map<String, Limits> byKey;

  private Entitlements(Limits defaults, Map<String, Limits> byKey) {
    this.defaults = defaults;
    this.byKey = Map.copyOf(byKey);
  }

  public static Entitlements parse(String spec, Limits defaults) {
    Map<String, Limits> byKey = new HashMap<>();
    String[] entries = spec.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      if (entry.isEmpty()) {
        continue;
      }
      String[] parts = entry.split(":", -1);
      if (parts.length != 3 || parts[0].isBlank()) {
        throw new IllegalArgumentException(
            "client limits entry " + (i + 1) + " is not key:connections:symbols");
      }
      Limits limits = new Limits(count(parts[1], i + 1), count(parts[2], i + 1));
      if (byKey.put(parts[0], limits) != null) {
        throw new IllegalArgumentException("client limits entry " + (i + 1) + " repeats a key");
      }
    }
    return new Entitlements(defaults, byKey);
  }

  public static Entitlements uniform(Limits defaults) {
    return new Entitlements(defaults, Map.of());
  }

  public Limits of(String key) {
    return byKey.getOrDefault(key, defaults);
  }

  private static int count(String text, int position) {
    if (text.equals("*")) {
      return Integer.MAX_VALUE;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, without echoing the text
    }
    throw new IllegalArgumentException(
        "client limits entry " + position + ": a limit is a non-negative number or *");
  }
}
