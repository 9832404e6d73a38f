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
  /** What the provider last confirmed holding; restored first, so a refusal of the rest spares it. */
  private Interest accepted = Interest.none();
  /** What requests sent or queued so far ask the provider to hold; differs while changes wait. */
  private Interest requested = Interest.none();
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
    return change(change, live, false);
  }

  /**
   * Remembers a change; returns the frames that make a live session follow it, none when not live
   * or when {@code deferred}: then {@link #net} makes them later, merged with the changes after it.
   */
  List<Frame> change(DemandChanged change, boolean live, boolean deferred) {
    // what a refusal already dropped is not unsubscribed again when its clients let go of it
    Interest removed = intersection(change.removed(), demand);
    demand = demand.plus(change.added()).minus(removed);
    if (!live || deferred) {
      return List.of();
    }
    requested = requested.plus(change.added()).minus(removed);
    return requests(change.added(), removed);
  }

  /**
   * The requests for the difference between the demand and what was requested so far: every
   * deferred change, merged (a symbol added and removed again costs nothing).
   */
  List<Frame> net() {
    Interest add = demand.minus(requested);
    Interest remove = requested.minus(demand);
    requested = demand;
    return add.isEmpty() && remove.isEmpty() ? List.of() : requests(add, remove);
  }

  /** A connect is starting with a URL that subscribes {@code byUrl}. */
  void connecting(Interest byUrl) {
    carried = byUrl;
  }

  /** The session went live: what brings the provider from the URL's subscriptions to the demand. */
  List<Frame> restore() {
    inFlight.clear();
    settled = false;
    requested = demand;
    Interest wanted = demand.minus(carried);
    Interest known = intersection(wanted, accepted);
    // what the provider accepted before goes first and apart from what it never saw: a request is
    // refused whole (Alpaca 405), so only the new part can be refused, and only its askers lose it
    List<Frame> frames = requests(known, carried.minus(demand));
    frames.addAll(requests(wanted.minus(known), Interest.none()));
    return frames;
  }

  /** A request was accepted; with the provider's full state, the last answer is checked against demand. */
  void acked(Inbound.Ack ack) {
    SubscriptionRequest answered = inFlight.answered(ack.id());
    if (ack.state() != null) {
      accepted = ack.state();
    } else if (answered != null) {
      accepted = accepted.plus(answered.subject());
    }
    if (inFlight.isEmpty() && ack.state() != null) {
      Interest expected = offered(demand);
      if (!ack.state().equals(expected)) {
        LOG.warning(name + ": upstream holds " + ack.state() + " but demand is " + expected);
      }
    }
  }

  /**
   * A request was refused (Alpaca 405: its symbols leave the demand, so the next restore is not
   * refused whole; returned, for the clients that asked) or named a channel the feed lacks (410,
   * dropped there). Returns what left the demand, {@link Interest#none()} if nothing did.
   */
  Interest refused(ErrorStrategies.ErrorStrategy row, String what, Object id, Instant at) {
    SubscriptionRequest answered = inFlight.answered(id);
    Interest request = answered == null ? null : answered.subject();
    figures.lastError = new UpstreamStatus.LastError(row.code(), what, row.meaning(), row.remedy(), at);
    if (row.reaction() == FailureReaction.DROP_CHANNEL && request != null) {
      for (Channel channel : request.channels()) {
        figures.drop(feed.get(), channel);
        LOG.warning(name + ": feed " + feed.get() + " does not offer " + channel.wireName()
            + " (" + what + "); no longer requested there");
      }
    } else if (row.reaction() == FailureReaction.REJECT_REQUEST && request != null && !request.isEmpty()) {
      Interest dropped = intersection(request, demand);
      demand = demand.minus(dropped);
      requested = requested.minus(dropped);
      LOG.warning(name + ": " + what + "; the provider keeps the previous subscriptions, refused and no"
          + " longer held: " + dropped);
      return dropped;
    } else {
      LOG.warning(name + ": " + what + "; the provider keeps the previous subscriptions"
          + (request == null ? "" : ", refused: " + request));
    }
    return Interest.none();
  }

  private static Interest intersection(Interest a, Interest b) {
    return a.minus(a.minus(b));
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
