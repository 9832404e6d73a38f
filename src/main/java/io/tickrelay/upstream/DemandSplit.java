package io.tickrelay.upstream;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a stream's demand is spread over connections that each hold at most {@code cap} (channel,
 * symbol) pairs (Binance: 1024 streams per connection). A pair stays on its connection until it is
 * removed, so a change never moves existing subscriptions; a new pair goes to the first connection
 * with room, or to a new one. A wildcard counts as one pair. Not thread-safe: the group's lock
 * guards it.
 */
final class DemandSplit {

  /** What one connection ({@code shard}, 0-based) must add and remove. */
  record Delta(int shard, Interest added, Interest removed) {}

  private final int cap;
  private final List<Map<Channel, Set<String>>> shards = new ArrayList<>();
  private final List<Integer> sizes = new ArrayList<>();

  DemandSplit(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("a connection must hold at least one subscription");
    }
    this.cap = cap;
  }

  /** Applies a change of demand; returns the non-empty deltas per shard, by shard. */
  List<Delta> apply(Interest added, Interest removed) {
    Map<Integer, Map<Channel, Set<String>>> adds = new LinkedHashMap<>();
    Map<Integer, Map<Channel, Set<String>>> removes = new LinkedHashMap<>();
    for (Channel channel : removed.channels()) {
      for (String symbol : removed.symbols(channel)) {
        int shard = shardOf(channel, symbol);
        if (shard >= 0) {
          shards.get(shard).get(channel).remove(symbol);
          sizes.set(shard, sizes.get(shard) - 1);
          pairs(removes, shard, channel).add(symbol);
        }
      }
    }
    for (Channel channel : added.channels()) {
      for (String symbol : added.symbols(channel)) {
        if (shardOf(channel, symbol) >= 0) {
          continue;
        }
        int shard = withRoom();
        shards.get(shard).computeIfAbsent(channel, c -> new TreeSet<>()).add(symbol);
        sizes.set(shard, sizes.get(shard) + 1);
        pairs(adds, shard, channel).add(symbol);
      }
    }
    List<Delta> deltas = new ArrayList<>();
    for (int shard = 0; shard < shards.size(); shard++) {
      Interest in = Interest.of(adds.getOrDefault(shard, Map.of()));
      Interest out = Interest.of(removes.getOrDefault(shard, Map.of()));
      if (!in.isEmpty() || !out.isEmpty()) {
        deltas.add(new Delta(shard, in, out));
      }
    }
    return deltas;
  }

  /** The pairs shard {@code shard} holds now. */
  Interest demandOf(int shard) {
    return shard < shards.size() ? Interest.of(shards.get(shard)) : Interest.none();
  }

  int sizeOf(int shard) {
    return shard < sizes.size() ? sizes.get(shard) : 0;
  }

  /** Shards ever used (an emptied shard keeps its index and is refilled first). */
  int shardCount() {
    return shards.size();
  }

  private int shardOf(Channel channel, String symbol) {
    for (int i = 0; i < shards.size(); i++) {
      Set<String> set = shards.get(i).get(channel);
      if (set != null && set.contains(symbol)) {
        return i;
      }
    }
    return -1;
  }

  private int withRoom() {
    for (int i = 0; i < shards.size(); i++) {
      if (sizes.get(i) < cap) {
        return i;
      }
    }
    shards.add(new EnumMap<>(Channel.class));
    sizes.add(0);
    return shards.size() - 1;
  }

  private static Set<String> pairs(Map<Integer, Map<Channel, Set<String>>> byShard, int shard, Channel channel) {
    return byShard.computeIfAbsent(shard, s -> new EnumMap<>(Channel.class))
        .computeIfAbsent(channel, c -> new TreeSet<>());
  }
}
