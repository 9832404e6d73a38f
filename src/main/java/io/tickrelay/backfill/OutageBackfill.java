package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.GapClosing;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataRecovered;
import io.tickrelay.marketdata.UpstreamRestored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * Closes an outage's gap by fetching what it cost from the provider's history: the missed trades
 * and minute bars go to the stream as ordinary messages ({@link MarketDataRecovered}, which the
 * distribution side dedupes against what it delivered live) before the closing {@code x-gap},
 * which then names the (channel, symbol) pairs recovered completely.
 */
@ApplicationScoped
public class OutageBackfill implements GapClosing {

  private static final Logger LOG = Logger.getLogger(OutageBackfill.class.getName());

  /**
   * How far before the drop the window starts: trades the provider sent just before the socket
   * died may never have arrived; those that did are in the journal and are dropped there.
   */
  static final Duration LEAD = Duration.ofSeconds(2);

  private static final Set<Channel> REPLAYABLE = Set.of(Channel.TRADES, Channel.BARS);

  @Inject MissedData missed;
  @Inject Event<MarketDataRecovered> recovered;

  @Override
  public CompletionStage<Outcome> closing(UpstreamRestored restored) {
    Map<Channel, Set<String>> symbols = replayable(restored);
    if (symbols.isEmpty() || !restored.interruptedAt().isBefore(restored.restoredAt())) {
      return CompletableFuture.completedFuture(Outcome.NOTHING);
    }
    MissedWindow window = new MissedWindow(restored.stream(), restored.feed(), symbols,
        restored.interruptedAt().minus(LEAD), restored.restoredAt());
    return missed.fetch(window).thenApply(result -> {
      if (!result.events().isEmpty()) {
        recovered.fire(new MarketDataRecovered(restored.stream(), result.events()));
      }
      Map<Channel, Set<String>> complete = new EnumMap<>(Channel.class);
      result.channels().forEach((channel, recovery) -> {
        if (!recovery.outcome().lossy()) {
          complete.put(channel, recovery.symbols());
        } else {
          LOG.info(() -> restored.stream() + ": backfill of " + channel.wireName() + " "
              + recovery.outcome() + ": " + recovery.detail());
        }
      });
      return new Outcome(Interest.of(complete));
    });
  }

  /**
   * What both was lost and flows again, on the channels a history can replay; a {@code *}
   * subscription names no symbols to ask for, so it is left to the closing marker as lost.
   */
  static Map<Channel, Set<String>> replayable(UpstreamRestored restored) {
    Map<Channel, Set<String>> symbols = new EnumMap<>(Channel.class);
    for (Channel channel : REPLAYABLE) {
      Set<String> wanted = new HashSet<>(restored.interrupted().symbols(channel));
      wanted.retainAll(restored.restored().symbols(channel));
      wanted.remove(Interest.WILDCARD);
      if (!wanted.isEmpty()) {
        symbols.put(channel, wanted);
      }
    }
    return symbols;
  }
}
