package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import java.util.Set;

/**
 * A provider's history, one CDI bean per provider package, found by {@link MissedData}: adding a
 * provider's backfill means adding one such bean. Its fetch blocks; it is only ever called on a
 * managed worker thread, never on a live path.
 */
public interface HistorySource {

  /** Whether this source holds history for {@code stream} at all. */
  boolean serves(String stream);

  /** The channels of {@code stream} it can replay (trades, bars...); others are UNSUPPORTED. */
  Set<Channel> channels(String stream);

  /**
   * Fetches {@code fetch.query()}: every event it returns goes to {@link ChannelFetch#add}, each
   * request asks {@link ChannelFetch#nextPage} first, and it stops when either says no. Events may
   * come in any order; they are sorted afterwards.
   *
   * @throws HistoryUnavailable when the provider refuses or fails; events added before stay
   */
  void fetch(ChannelFetch fetch) throws HistoryUnavailable;
}
