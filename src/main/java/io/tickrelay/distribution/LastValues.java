package io.tickrelay.distribution;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest trade, quote, minute bar and daily bar per symbol, for clients that asked for them on
 * subscribe. Not thread-safe: the fan-out lock guards it.
 */
final class LastValues {

  private static final Set<Channel> KEPT =
      Set.of(Channel.TRADES, Channel.QUOTES, Channel.BARS, Channel.DAILY_BARS);

  private final Map<Channel, Map<String, Streamed>> latest = new EnumMap<>(Channel.class);

  void remember(Streamed streamed) {
    Channel channel = streamed.event().channel();
    if (KEPT.contains(channel)) {
      latest.computeIfAbsent(channel, c -> new HashMap<>()).put(streamed.event().symbol(), streamed);
    }
  }

  /** The latest values for the named symbols of {@code added}, oldest first; not for {@code *}. */
  List<Streamed> of(Interest added) {
    List<Streamed> values = new ArrayList<>();
    for (Channel channel : added.channels()) {
      Map<String, Streamed> bySymbol = latest.getOrDefault(channel, Map.of());
      for (String symbol : added.symbols(channel)) {
        Streamed value = bySymbol.get(symbol);
        if (value != null) {
          values.add(value);
        }
      }
    }
    values.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return values;
  }
}
