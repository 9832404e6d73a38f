package io.tickrelay.marketdata;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides when an outage's closing gap marker is written and what it can say was recovered: the
 * distribution side asks once per {@link UpstreamRestored} and writes the closing {@code x-gap}
 * into the stream when the returned stage completes (or after a timeout, as if nothing had been
 * recovered). An implementation that fetches missed messages from the provider's history fires
 * them as ordinary {@link MarketDataReceived} events of the stream first and completes the stage
 * afterwards, so they precede the marker in the stream. Without any bean of this type the marker
 * follows at once with nothing recovered ({@link #NONE}).
 */
public interface GapClosing {

  GapClosing NONE = restored -> CompletableFuture.completedFuture(Outcome.NOTHING);

  /** Called on the thread that fired {@code restored}; must not block. */
  CompletionStage<Outcome> closing(UpstreamRestored restored);

  /**
   * What was recovered of an outage.
   *
   * @param backfilled the (channel, symbol) pairs whose missed messages were all delivered before
   *     the marker; the rest of the outage's interest is reported lost
   */
  record Outcome(Interest backfilled) {
    public static final Outcome NOTHING = new Outcome(Interest.none());
  }
}
