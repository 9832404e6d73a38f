package io.tickrelay.upstream;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What clients want of one connection against what its provider has been asked for: the demand
 * (re-sent after every reconnect, minus what the connect URL already carried), requests in flight
 * and their answers, channels a feed refused, and whether the session has settled. Guarded by the
 * connection's lock.
 */
final class HeldSubscriptions {

  private static final Logger LOG = Logger.getLogger(HeldSubscriptions.class.getName());

  private final String name;
  private final UpstreamProtocol protocol;
  private final ConnectionFigures figures;
  private final Supplier<String> feed;
  private final InFlightRequests inFlight = new InFlightRequests();
  /** What clients want: the full union of demand, re-sent after every reconnect. */
  private Interest demand = Interest.none();
  /** The demand the connect URL already subscribed (URL-carried streams). */
  private Interest carried = Interest.none();
  private boolean settled;

  HeldSubscriptions(String name, UpstreamProtocol protocol, ConnectionFigures figures, Supplier<String> feed) {
    this.name = name;
    this.protocol = protocol;
    this.figures = figures;
    this.feed = feed;
  }

  Interest demand() {
    return demand;
  }

  /** Remembers a change; returns the frames that make a live session follow it (none when not live). */
  List<Frame> change(DemandChanged change, boolean live) {
    demand = demand.plus(change.added()).minus(change.removed());
    return live ? requests(change.added(), change.removed()) : List.of();
  }

  /** A connect is starting with a URL that subscribes {@code byUrl}. */
  void connecting(Interest byUrl) {
    carried = byUrl;
  }

  /** The session went live: what brings the provider from the URL's subscriptions to the demand. */
  List<Frame> restore() {
    inFlight.clear();
    settled = false;
    return requests(demand.minus(carried), carried.minus(demand));
  }

  /** A request was accepted; with the provider's full state, the last answer is checked against demand. */
  void acked(Inbound.Ack ack) {
    inFlight.answered(ack.id());
    if (inFlight.isEmpty() && ack.state() != null) {
      Interest expected = offered(demand);
      if (!ack.state().equals(expected)) {
        LOG.warning(name + ": upstream holds " + ack.state() + " but demand is " + expected);
      }
    }
  }

  /** A request was refused (Alpaca 405) or named a channel the feed lacks (410, dropped there). */
  void refused(ErrorStrategies.ErrorStrategy row, String what, Object id, Instant at) {
    SubscriptionRequest answered = inFlight.answered(id);
    Interest request = answered == null ? null : answered.subject();
    figures.lastError = new UpstreamStatus.LastError(row.code(), what, row.meaning(), row.remedy(), at);
    if (row.reaction() == FailureReaction.DROP_CHANNEL && request != null) {
      for (Channel channel : request.channels()) {
        figures.drop(feed.get(), channel);
        LOG.warning(name + ": feed " + feed.get() + " does not offer " + channel.wireName()
            + " (" + what + "); no longer requested there");
      }
    } else {
      LOG.warning(name + ": " + what + "; the provider keeps the previous subscriptions"
          + (request == null ? "" : ", refused: " + request));
    }
  }

  /** True once per session, when every request sent since it went live is answered. */
  boolean settleNow() {
    if (settled || !inFlight.isEmpty()) {
      return false;
    }
    settled = true;
    return true;
  }

  /** The protocol's frames for a delta, minus dropped channels, remembered in flight. */
  private List<Frame> requests(Interest added, Interest removed) {
    List<Frame> frames = new ArrayList<>();
    for (SubscriptionRequest request : protocol.requests(offered(added), offered(removed))) {
      inFlight.sent(request);
      frames.add(request.frame());
    }
    return frames;
  }

  /** The part of {@code interest} on channels the current feed has not refused. */
  private Interest offered(Interest interest) {
    Interest kept = Interest.none();
    for (Channel channel : interest.channels()) {
      if (!figures.dropped(feed.get(), channel)) {
        kept = kept.plus(Interest.of(Map.of(channel, interest.symbols(channel))));
      }
    }
    return kept;
  }
}
