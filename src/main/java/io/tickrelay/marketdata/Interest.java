package io.tickrelay.marketdata;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable set of symbols per channel: a client's subscriptions, a delta of demand, or the
 * full demand an upstream must hold. {@code "*"} is kept literally and means every symbol.
 */
public final class Interest {

  public static final String WILDCARD = "*";
  private static final Interest NONE = new Interest(new EnumMap<>(Channel.class));

  private final Map<Channel, SortedSet<String>> symbols;

  private Interest(Map<Channel, SortedSet<String>> symbols) {
    this.symbols = symbols;
  }

  public static Interest none() {
    return NONE;
  }

  public static Interest of(Map<Channel, ? extends Iterable<String>> symbolsByChannel) {
    Map<Channel, SortedSet<String>> copy = new EnumMap<>(Channel.class);
    symbolsByChannel.forEach(
        (channel, list) -> {
          SortedSet<String> set = new TreeSet<>();
          list.forEach(set::add);
          if (!set.isEmpty()) {
            copy.put(channel, Collections.unmodifiableSortedSet(set));
          }
        });
    return copy.isEmpty() ? NONE : new Interest(copy);
  }

  public static Interest of(Channel channel, String... symbols) {
    return of(Map.of(channel, java.util.List.of(symbols)));
  }

  /** The symbols on {@code channel}, sorted; empty when there are none. */
  public SortedSet<String> symbols(Channel channel) {
    SortedSet<String> set = symbols.get(channel);
    return set == null ? Collections.emptySortedSet() : set;
  }

  public Set<Channel> channels() {
    return Collections.unmodifiableSet(symbols.keySet());
  }

  public boolean isEmpty() {
    return symbols.isEmpty();
  }

  public int symbolCount() {
    return symbols.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Whether an event for {@code symbol} on {@code channel} matches, wildcard included. A null
   * channel (a {@link PassThrough}) matches the symbol on any channel, and an empty symbol then
   * matches any subscription at all.
   */
  public boolean matches(Channel channel, String symbol) {
    if (channel == null) {
      return symbols.keySet().stream().anyMatch(c -> symbol.isEmpty() || matches(c, symbol));
    }
    SortedSet<String> set = symbols.get(channel);
    return set != null && (set.contains(symbol) || set.contains(WILDCARD));
  }

  /** Whether every (channel, symbol) of {@code other} is here literally; costs O(other). */
  public boolean containsAll(Interest other) {
    for (Map.Entry<Channel, SortedSet<String>> entry : other.symbols.entrySet()) {
      SortedSet<String> set = symbols.get(entry.getKey());
      if (set == null || !set.containsAll(entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Whether some (channel, symbol) of {@code other} is here literally; costs O(other). */
  public boolean overlaps(Interest other) {
    for (Map.Entry<Channel, SortedSet<String>> entry : other.symbols.entrySet()) {
      SortedSet<String> set = symbols.get(entry.getKey());
      if (set != null) {
        for (String symbol : entry.getValue()) {
          if (set.contains(symbol)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  public Interest plus(Interest other) {
    return combine(other, true);
  }

  public Interest minus(Interest other) {
    return combine(other, false);
  }

  private Interest combine(Interest other, boolean add) {
    Map<Channel, SortedSet<String>> result = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      SortedSet<String> set = new TreeSet<>(symbols(channel));
      if (add) {
        set.addAll(other.symbols(channel));
      } else {
        set.removeAll(other.symbols(channel));
      }
      if (!set.isEmpty()) {
        result.put(channel, Collections.unmodifiableSortedSet(set));
      }
    }
    return result.isEmpty() ? NONE : new Interest(result);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Interest other && symbols.equals(other.symbols);
  }

  @Override
  public int hashCode() {
    return symbols.hashCode();
  }

  @Override
  public String toString() {
    return symbols.toString();
  }
}
