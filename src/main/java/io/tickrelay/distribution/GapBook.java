package io.tickrelay.distribution;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.GapClosing;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import io.tickrelay.protocol.GatewayMessages;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the stream has holes, written into its journal as {@code x-gap} markers: an upstream
 * outage (open where data stopped, closed where it flows again, with what was recovered) and a
 * (channel, symbol) the gateway stopped holding upstream because no client wanted it (open when it
 * let go, closed when a client asks again). The demand markers only travel in replays: they tell a
 * resuming client that the journal has nothing for that window, so a resume is never a silent
 * success (issue 13). Not thread-safe: the fan-out lock guards it.
 */
final class GapBook {

  /** One (channel, symbol) of a stream; the symbol may be {@code *}. */
  record Key(Channel channel, String symbol) {}

  private record Released(long seq, Instant at) {}

  private static final String RELEASED = "no client subscribed: the gateway unsubscribed upstream";
  private static final String HELD_AGAIN = "subscribed upstream again";
  private static final String NEVER_HELD = "not subscribed upstream before";

  private final String stream;
  private final Journal journal;
  private final Map<String, Streamed> outages = new HashMap<>();
  private final Map<Key, Released> released = new HashMap<>();
  /** Since when each (channel, symbol) is held upstream, by the gateway's clock. */
  private final Map<Key, Instant> heldSince = new HashMap<>();

  GapBook(String stream, Journal journal) {
    this.stream = stream;
    this.journal = journal;
  }

  /** The open marker of an outage, appended; null when that connection's outage is already open. */
  Streamed interrupted(UpstreamInterrupted e) {
    if (outages.containsKey(e.connection())) {
      return null;
    }
    Streamed marker = journal.append(new GatewayMessages.Gap("open", 0, stream, e.feed(),
        e.reason(), e.since(), null, e.interest(), null, null, null), true);
    outages.put(e.connection(), marker);
    return marker;
  }

  /** The closed marker of an outage, appended: what flows again, what was backfilled, what is lost. */
  Streamed restored(UpstreamRestored e, GapClosing.Outcome outcome, String note) {
    Streamed open = outages.remove(e.connection());
    Interest backfilled = overlap(outcome.backfilled(), e.interrupted());
    String reason = "upstream data flows again" + (note == null ? "" : "; " + note);
    return journal.append(new GatewayMessages.Gap("closed", open == null ? 0 : open.seq(), stream,
        e.feed(), reason, e.interruptedAt(), e.restoredAt(), e.interrupted(),
        overlap(e.restored(), e.interrupted()), backfilled, e.interrupted().minus(backfilled)), true);
  }

  /** The gateway let go of {@code removed} upstream: a replay-only open marker. */
  void released(Interest removed, Instant at) {
    Streamed marker = journal.append(new GatewayMessages.Gap("open", 0, stream, null, RELEASED, at,
        null, removed, null, null, null), false);
    for (Key key : keys(removed)) {
      heldSince.remove(key);
      released.put(key, new Released(marker.seq(), at));
    }
  }

  /**
   * The gateway holds {@code added} upstream from now: replay-only closed markers, one per window
   * that ends here (one per release marker, one for what was never held).
   */
  void held(Interest added, Instant at) {
    Map<Long, Map<Channel, Set<String>>> byWindow = new TreeMap<>();
    Map<Long, Instant> since = new HashMap<>();
    for (Key key : keys(added)) {
      heldSince.put(key, at);
      Released r = released.remove(key);
      long opened = r == null ? 0 : r.seq();
      since.put(opened, r == null ? null : r.at());
      byWindow.computeIfAbsent(opened, o -> new EnumMap<>(Channel.class))
          .computeIfAbsent(key.channel(), c -> new TreeSet<>()).add(key.symbol());
    }
    byWindow.forEach((opened, symbols) -> {
      Interest window = Interest.of(symbols);
      journal.append(new GatewayMessages.Gap("closed", opened, stream, null,
          opened == 0 ? NEVER_HELD : HELD_AGAIN, since.get(opened), at, window, window,
          Interest.none(), window), false);
    });
  }

  /**
   * Since when the gateway holds {@code symbol} on {@code channel} upstream, itself or through
   * {@code *}; null when it does not: nothing from before that was the stream's to deliver.
   */
  Instant heldSince(Channel channel, String symbol) {
    Instant exact = heldSince.get(new Key(channel, symbol));
    Instant wildcard = heldSince.get(new Key(channel, Interest.WILDCARD));
    if (exact == null || wildcard == null) {
      return exact == null ? wildcard : exact;
    }
    return exact.isBefore(wildcard) ? exact : wildcard;
  }

  /** The marker as one client may see it: only the part about what it subscribes to. */
  static GatewayMessages.Gap forClient(GatewayMessages.Gap gap, Interest client) {
    return new GatewayMessages.Gap(gap.state(), gap.opened(), gap.stream(), gap.feed(),
        gap.reason(), gap.from(), gap.to(), overlap(gap.covers(), client),
        gap.resumed() == null ? null : overlap(gap.resumed(), client),
        gap.backfilled() == null ? null : overlap(gap.backfilled(), client),
        gap.lost() == null ? null : overlap(gap.lost(), client));
  }

  /**
   * The part of {@code held} that {@code client} is interested in, wildcards on either side
   * included: a client's {@code *} takes every held symbol of the channel, a held {@code *} gives
   * the client's own symbols.
   */
  static Interest overlap(Interest held, Interest client) {
    Map<Channel, Set<String>> common = new EnumMap<>(Channel.class);
    for (Channel channel : held.channels()) {
      Set<String> theirs = held.symbols(channel);
      Set<String> mine = client.symbols(channel);
      Set<String> both = new TreeSet<>();
      if (mine.contains(Interest.WILDCARD)) {
        both.addAll(theirs);
      } else if (theirs.contains(Interest.WILDCARD)) {
        both.addAll(mine);
      } else {
        mine.stream().filter(theirs::contains).forEach(both::add);
      }
      if (!both.isEmpty()) {
        common.put(channel, both);
      }
    }
    return Interest.of(common);
  }

  static List<Key> keys(Interest interest) {
    return interest.channels().stream()
        .flatMap(c -> interest.symbols(c).stream().map(s -> new Key(c, s)))
        .toList();
  }
}
