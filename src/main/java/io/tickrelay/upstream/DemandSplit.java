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
 * with room, or to a new one while fewer than {@code maxShards} exist; a pair that fits nowhere is
 * refused ({@link #refused()}), so client demand cannot open connections without bound (Binance
 * bans an IP past 300 connection attempts per 5 minutes, upstream-protocols.md §2.3). A wildcard
 * counts as one pair. Not thread-safe: the group's lock guards it.
 */
final class DemandSplit {

  /** What one connection ({@code shard}, 0-based) must add and remove. */
  record Delta(int shard, Interest added, Interest removed) {}

  private final int cap;
  private final int maxShards;
  private Interest refused = Interest.none();
  private final List<Map<Channel, Set<String>>> shards = new ArrayList<>();
  private final List<Integer> sizes = new ArrayList<>();

  DemandSplit(int cap) {
    this(cap, Integer.MAX_VALUE);
  }

  DemandSplit(int cap, int maxShards) {
    if (cap < 1 || maxShards < 1) {
      throw new IllegalArgumentException("at least one connection holding at least one subscription");
    }
    this.cap = cap;
    this.maxShards = maxShards;
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
    Map<Channel, Set<String>> full = new EnumMap<>(Channel.class);
    for (Channel channel : added.channels()) {
      for (String symbol : added.symbols(channel)) {
        if (shardOf(channel, symbol) >= 0) {
          continue;
        }
        int shard = withRoom();
        if (shard < 0) {
          full.computeIfAbsent(channel, c -> new TreeSet<>()).add(symbol);
          continue;
        }
        shards.get(shard).computeIfAbsent(channel, c -> new TreeSet<>()).add(symbol);
        sizes.set(shard, sizes.get(shard) + 1);
        pairs(adds, shard, channel).add(symbol);
      }
    }
    refused = Interest.of(full);
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

  /** The pairs the last {@link #apply} could not place: every shard full and no more allowed. */
  Interest refused() {
    return refused;
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
    if (shards.size() >= maxShards) {
      return -1;
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
