package io.tickrelay.distribution;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which clients want which (channel, symbol): the index the fan-out reads without locking, and
 * the union of demand whose edges (first client in, last client out) drive the upstream.
 */
final class Subscriptions {

  private final Map<Channel, Map<String, Set<ClientSession>>> index = new EnumMap<>(Channel.class);

  private final String stream;

  Subscriptions(String stream) {
    this.stream = stream;
    for (Channel channel : Channel.values()) {
      index.put(channel, new ConcurrentHashMap<>());
    }
  }

  /** Replaces a client's subscriptions and reports what that changed in the union of demand. */
  synchronized DemandChanged replace(ClientSession client, Interest next) {
    Interest previous = client.subscriptions();
    return apply(client, next, next.minus(previous), previous.minus(next));
  }

  /**
   * Sets a client's subscriptions to {@code next}, given what that adds and removes (computed by
   * the caller, outside any lock); costs O(added + removed), whatever the number of subscribers of
   * each symbol: the sets are changed in place (concurrent sets, so an iteration in progress sees
   * each member once or not at all).
   */
  synchronized DemandChanged apply(
      ClientSession client, Interest next, Interest added, Interest removed) {
    Map<Channel, Set<String>> demandAdded = new EnumMap<>(Channel.class);
    Map<Channel, Set<String>> demandRemoved = new EnumMap<>(Channel.class);
    for (Channel channel : added.channels()) {
      Map<String, Set<ClientSession>> bySymbol = index.get(channel);
      for (String symbol : added.symbols(channel)) {
        Set<ClientSession> clients = bySymbol.get(symbol);
        if (clients == null) {
          clients = ConcurrentHashMap.newKeySet();
          bySymbol.put(symbol, clients);
          demandAdded.computeIfAbsent(channel, c -> new HashSet<>()).add(symbol);
        }
        clients.add(client);
      }
    }
    for (Channel channel : removed.channels()) {
      Map<String, Set<ClientSession>> bySymbol = index.get(channel);
      for (String symbol : removed.symbols(channel)) {
        Set<ClientSession> clients = bySymbol.get(symbol);
        if (clients != null && clients.remove(client) && clients.isEmpty()) {
          bySymbol.remove(symbol);
          demandRemoved.computeIfAbsent(channel, c -> new HashSet<>()).add(symbol);
        }
      }
    }
    client.subscriptions(next);
    return new DemandChanged(stream, Interest.of(demandAdded), Interest.of(demandRemoved));
  }

  /**
   * The clients an event on (channel, symbol) goes to: exact subscribers and wildcard ones. A null
   * channel (a {@link io.tickrelay.marketdata.PassThrough}) means every channel; an empty symbol
   * then means every subscriber. A client may be in several of the sets.
   */
  List<Set<ClientSession>> subscribers(Channel channel, String symbol) {
    if (channel == null) {
      return onAnyChannel(symbol);
    }
    Map<String, Set<ClientSession>> bySymbol = index.get(channel);
    Set<ClientSession> exact = bySymbol.get(symbol);
    Set<ClientSession> wildcard = bySymbol.get(Interest.WILDCARD);
    if (wildcard == null) {
      return exact == null ? List.of() : List.of(exact);
    }
    return exact == null ? List.of(wildcard) : List.of(exact, wildcard);
  }

  private List<Set<ClientSession>> onAnyChannel(String symbol) {
    List<Set<ClientSession>> found = new ArrayList<>();
    for (Map<String, Set<ClientSession>> bySymbol : index.values()) {
      if (symbol.isEmpty()) {
        found.addAll(bySymbol.values());
        continue;
      }
      Set<ClientSession> exact = bySymbol.get(symbol);
      Set<ClientSession> wildcard = bySymbol.get(Interest.WILDCARD);
      if (exact != null) {
        found.add(exact);
      }
      if (wildcard != null) {
        found.add(wildcard);
      }
    }
    return found;
  }

  /** Every client subscribed to a (channel, symbol) of {@code covered}, wildcards either side. */
  Set<ClientSession> clients(Interest covered) {
    Set<ClientSession> found = new HashSet<>();
    for (Channel channel : covered.channels()) {
      Map<String, Set<ClientSession>> bySymbol = index.get(channel);
      if (covered.symbols(channel).contains(Interest.WILDCARD)) {
        bySymbol.values().forEach(found::addAll);
        continue;
      }
      for (String symbol : covered.symbols(channel)) {
        subscribers(channel, symbol).forEach(found::addAll);
      }
    }
    return found;
  }

  /** Whether any client wants exactly this (channel, symbol) (a {@code *} counts only for itself). */
  boolean wanted(Channel channel, String symbol) {
    return index.get(channel).containsKey(symbol);
  }

  /** The union of every client's subscriptions. */
  synchronized Interest demand() {
    Map<Channel, Set<String>> all = new EnumMap<>(Channel.class);
    index.forEach((channel, bySymbol) -> all.put(channel, bySymbol.keySet()));
    return Interest.of(all);
  }
}
