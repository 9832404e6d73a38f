package io.tickrelay.distribution;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest trade, quote, minute bar, daily bar, trading status and LULD band per symbol, for
 * clients that asked for them on subscribe: a status says whether the symbol is halted now, a band
 * what prices are allowed now. Corrections and cancels (on the trades channel) and imbalances are
 * news about the moment, not a value that holds. Not thread-safe: the fan-out lock guards it.
 */
final class LastValues {

  private static final Set<Channel> KEPT =
      EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BARS, Channel.DAILY_BARS,
          Channel.STATUSES, Channel.LULDS);

  private final Map<Channel, Map<String, Streamed>> latest = new EnumMap<>(Channel.class);

  void remember(Streamed streamed) {
    MarketEvent event = streamed.event();
    Channel channel = event.channel();
    // a PassThrough has no channel; EnumSet.contains(null) is false
    if (KEPT.contains(channel) && !(event instanceof TradeCorrection || event instanceof TradeCancel)) {
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
