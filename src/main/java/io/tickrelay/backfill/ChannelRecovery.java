package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import java.util.Set;

/**
 * What a backfill did for one channel: the outcome, the symbols asked for, how many events it
 * recovered and, when it is not {@link Outcome#COMPLETE}, why in words (no secrets, no query
 * strings) for logs and gap markers.
 */
public record ChannelRecovery(
    Channel channel, Outcome outcome, Set<String> symbols, int events, String detail) {

  public ChannelRecovery {
    symbols = Set.copyOf(symbols);
  }

  /** How far a channel's backfill got. */
  public enum Outcome {
    /** Everything the provider has for the window was fetched. */
    COMPLETE,
    /** A page or event limit stopped it; what came before the limit is delivered. */
    LIMIT_REACHED,
    /** The overall deadline passed; what came before it is delivered. */
    DEADLINE,
    /** The provider refused or failed (after retries); what came before is delivered. */
    FAILED,
    /** The provider keeps no history of this channel (quotes, statuses...) or stream. */
    UNSUPPORTED;

    /** Whether some of the window may still be missing after this outcome. */
    public boolean lossy() {
      return this != COMPLETE;
    }
  }
}
