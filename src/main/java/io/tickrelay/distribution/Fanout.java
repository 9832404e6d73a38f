package io.tickrelay.distribution;

import io.tickrelay.admission.Printable;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.GapClosing;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.PassThrough;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.GatewayMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client stream: numbers each upstream event, remembers it (journal, last values), and hands
 * it to every subscribed client's outbox, encoded once per wire format. One lock (this object)
 * orders data, subscription changes, replays and feed notices, so a client never sees a live
 * message overtaken by an older one. Enqueueing never blocks, so holding it is cheap.
 */
final class Fanout {

  private static final Logger LOG = Logger.getLogger(Fanout.class.getName());
  /** Kinds of unencodable message logged at most, so an upstream making up types cannot flood the log. */
  private static final int MAX_LOGGED_KINDS = 32;

  private final Subscriptions subscriptions;
  private final LastValues lastValues = new LastValues();
  private final Journal journal;
  private final Consumer<DemandChanged> demand;
  private final Consumer<ClientSession> slow;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final int maxReplay;
  private final String stream;
  private final GapBook gaps;
  private final Duration linger;
  private final Clock clock;
  private long unencodable; // under this object's lock
  private final Set<String> unencodableKinds = new HashSet<>();

  /**
   * Upstream subscriptions whose last client left, kept until their linger ends: when it ends
   * ({@link #nanoTime} units), oldest first. One timer serves them all ({@link #lingerTimer}), so
   * churn costs no queued task per drop of demand.
   */
  private final LinkedHashMap<GapBook.Key, Long> lingering = new LinkedHashMap<>();
  private boolean lingerTimer;
  private FeedSelected feed;

  Fanout(
      String stream,
      int journalSize,
      int maxReplay,
      Consumer<DemandChanged> demand,
      Consumer<ClientSession> slow,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime) {
    this(stream, journalSize, maxReplay, Duration.ZERO, demand, slow, scheduler, nanoTime,
        Clock.systemUTC());
  }

  /**
   * @param linger how long an upstream subscription stays after its last client left, so a client
   *     back within it loses nothing and causes no upstream churn; zero lets go at once
   */
  Fanout(
      String stream,
      int journalSize,
      int maxReplay,
      Duration linger,
      Consumer<DemandChanged> demand,
      Consumer<ClientSession> slow,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime,
      Clock clock) {
    this.stream = stream;
    this.subscriptions = new Subscriptions(stream);
    this.journal = new Journal(journalSize);
    this.gaps = new GapBook(stream, journal);
    this.linger = linger;
    this.clock = clock;
    this.maxReplay = maxReplay;
    this.demand = demand;
    this.slow = slow;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
  }

  synchronized String epoch() {
    return journal.epoch();
  }

  synchronized long head() {
    return journal.head();
  }

  /** Events that arrived together go to each client together, in one frame where they fit. */
  synchronized void publish(List<MarketEvent> events) {
    Map<ClientSession, List<Streamed>> batches = new IdentityHashMap<>();
    for (MarketEvent event : events) {
      Streamed streamed = journal.append(event);
      lastValues.remember(streamed);
      for (Set<ClientSession> clients : subscriptions.subscribers(event.channel(), event.symbol())) {
        for (ClientSession client : clients) {
          List<Streamed> batch = batches.computeIfAbsent(client, c -> new ArrayList<>(4));
          if (batch.isEmpty() || batch.get(batch.size() - 1) != streamed) {
            batch.add(streamed); // a symbol and "*" together still deliver once
          }
        }
      }
    }
    long now = nanoTime.getAsLong();
    batches.forEach((client, batch) -> deliver(client, batch, now, true));
  }

  /**
   * Events recovered from the provider's history after an outage: those the journal already holds
   * (a trade by symbol, venue and id, a bar by kind, symbol and start) were delivered live and are
   * dropped, and so are those from before the gateway held their symbol upstream (the window starts
   * a little before the drop); the rest are published like live data (issue 13: each trade reaches a client once).
   * Returns how many were published.
   */
  synchronized int recovered(List<MarketEvent> events) {
    Set<Object> delivered = new HashSet<>();
    Instant[] journalStart = {null};
    journal.after(journal.oldest() - 1).ifPresent(held -> held.forEach(s -> {
      Object identity = s.event() == null ? null : Recurrence.of(s.event());
      if (identity != null) {
        delivered.add(identity);
        Instant t = s.event().timestamp();
        if (t != null && (journalStart[0] == null || t.isBefore(journalStart[0]))) {
          journalStart[0] = t;
        }
      }
    }));
    // once the journal has wrapped, an event older than all it holds may have been delivered live
    // and can no longer be checked: it is not sent again (a duplicate is worse than a known gap)
    Instant checkable = journal.oldest() > 1 ? journalStart[0] : null;
    List<MarketEvent> fresh = new ArrayList<>(events.size());
    for (MarketEvent event : events) {
      Object identity = Recurrence.of(event);
      if (checkable != null && identity != null && event.timestamp().isBefore(checkable)) {
        continue;
      }
      Instant held = identity == null ? null : gaps.heldSince(event.channel(), event.symbol());
      if (identity != null && (held == null || event.timestamp().isBefore(held))) {
        continue; // from before the gateway held it upstream (or no longer held): not missed
      }
      if (identity == null || delivered.add(identity)) {
        fresh.add(event);
      }
    }
    if (!fresh.isEmpty()) {
      publish(fresh);
    }
    return fresh.size();
  }

  /**
   * Applies a new subscription set: index, upstream demand, the full-state answer and then, for
   * what was added, the replay of a client that sent {@code x-resume} (everything after its
   * {@code seq} up to now) or else, for clients that asked, the last values; in that order under
   * the lock, so the first live message after it is the next one in sequence. What is large (the
   * set differences, the encoded answer) is computed before taking the lock; under it, the work is
   * proportional to the change.
   */
  void subscribe(ClientSession client, Interest next) {
    Interest previous = client.subscriptions();
    Interest added = next.minus(previous);
    Interest removed = previous.minus(next);
    byte[] ack = acknowledgement(client, next);
    synchronized (this) {
      if (client.subscriptions() != previous) { // changed meanwhile (an upstream refusal): redo
        added = next.minus(client.subscriptions());
        removed = client.subscriptions().minus(next);
      }
      upstream(subscriptions.apply(client, next, added, removed));
      client.acked(next, ack);
      client.send(ack);
      long head = journal.head();
      if (client.resumeFrom() >= 0 && !added.isEmpty()) {
        replay(client, added, client.resumeFrom());
      } else if (client.options().lastValue()) {
        deliver(client, lastValues.of(added), nanoTime.getAsLong(), false);
      }
      client.deliveredAfter(GapBook.keys(added), head);
    }
  }

  /**
   * A subscribe or unsubscribe that changes nothing: Alpaca answers every one with the state, so
   * the client gets it again, as the same bytes as last time where it had them (no encoding, no
   * index work); it counts against the client's outbox limits like any other frame.
   */
  void unchanged(ClientSession client) {
    byte[] ack;
    synchronized (this) {
      ack = client.ackOf(client.subscriptions());
      if (ack != null) {
        client.send(ack);
        return;
      }
    }
    subscribe(client, client.subscriptions()); // never acknowledged yet: the first answer
  }

  private static byte[] acknowledgement(ClientSession client, Interest state) {
    return client.path().kind() == StreamPath.Kind.STOCKS
        ? client.codec().subscription(state)
        : client.codec().subscription(state, client.path().offered());
  }

  /** Drops every subscription of a client that left or was cut off. */
  synchronized void forget(ClientSession client) {
    if (!client.subscriptions().isEmpty()) {
      upstream(subscriptions.replace(client, Interest.none()));
    }
  }

  /**
   * Passes a change of the union of demand upstream, under the lock so the upstream sees changes
   * in order: additions at once (unless still held because they linger), removals after the
   * linger; each edge leaves a demand marker in the journal.
   */
  private void upstream(DemandChanged change) {
    Map<Channel, Set<String>> fresh = new EnumMap<>(Channel.class);
    for (GapBook.Key key : GapBook.keys(change.added())) {
      if (lingering.remove(key) == null) {
        fresh.computeIfAbsent(key.channel(), c -> new TreeSet<>()).add(key.symbol());
      }
    }
    Interest added = Interest.of(fresh);
    if (!added.isEmpty()) {
      demand.accept(new DemandChanged(stream, added, Interest.none()));
      gaps.held(added, clock.instant());
    }
    Interest removed = change.removed();
    if (removed.isEmpty()) {
      return;
    }
    if (linger.isZero()) {
      release(removed);
      return;
    }
    long ends = nanoTime.getAsLong() + linger.toNanos();
    for (GapBook.Key key : GapBook.keys(removed)) {
      lingering.remove(key); // re-inserted last: the map stays in the order the lingers end
      lingering.put(key, ends);
    }
    if (!lingerTimer) {
      scheduleLingerTimer(ends, linger.toNanos());
    }
  }

  private void scheduleLingerTimer(long at, long delayNanos) {
    lingerTimer = true;
    scheduler.schedule(() -> lingerEndedGuarded(at), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void lingerEndedGuarded(long at) {
    try {
      lingerEnded(at);
    } catch (RuntimeException e) { // a task boundary: the subscriptions stay held, which is safe
      LOG.log(Level.WARNING, stream + ": letting go of lingering upstream subscriptions failed", e);
    }
  }

  /**
   * The timer set for {@code at} fired: lets go of what lingered until then and nobody wants
   * again, and sets the timer for the next linger to end (delays between deadlines, so the
   * scheduler's clock alone decides when).
   */
  private synchronized void lingerEnded(long at) {
    lingerTimer = false;
    Map<Channel, Set<String>> due = new EnumMap<>(Channel.class);
    var entries = lingering.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<GapBook.Key, Long> entry = entries.next();
      if (entry.getValue() - at > 0) {
        scheduleLingerTimer(entry.getValue(), entry.getValue() - at);
        break;
      }
      entries.remove();
      GapBook.Key key = entry.getKey();
      if (!subscriptions.wanted(key.channel(), key.symbol())) {
        due.computeIfAbsent(key.channel(), c -> new TreeSet<>()).add(key.symbol());
      }
    }
    if (!due.isEmpty()) {
      release(Interest.of(due));
    }
  }

  private void release(Interest removed) {
    demand.accept(new DemandChanged(stream, Interest.none(), removed));
    gaps.released(removed, clock.instant());
  }

  /** Upstream data of one connection stopped: the open marker, to the clients it concerns. */
  synchronized void interrupted(UpstreamInterrupted interrupted) {
    Streamed marker = gaps.interrupted(interrupted);
    if (marker != null) {
      deliverMarker(marker);
    }
  }

  /** An outage is over (and its backfill done, if any): the closed marker. */
  synchronized void restored(UpstreamRestored restored, GapClosing.Outcome outcome, String note) {
    deliverMarker(gaps.restored(restored, outcome, note));
  }

  private void deliverMarker(Streamed marker) {
    long now = nanoTime.getAsLong();
    for (ClientSession client : subscriptions.clients(marker.gap().covers())) {
      if (client.options().sequence()) {
        deliver(client, List.of(marker), now, false);
      }
    }
  }

  synchronized void options(ClientSession client, ClientMessage.Options options) {
    RateCap previous = client.rateCap();
    client.options(options);
    client.rateCap(options.maxPerSecond() > 0 ? new RateCap(options.maxPerSecond()) : null);
    client.send(GatewayMessages.options(client.format(), options, journal.epoch()));
    if (previous != null) {
      deliver(client, previous.drain(), nanoTime.getAsLong(), false);
    }
    if (options.feedNotices() && feed != null) {
      client.send(feedNotice(client));
    }
  }

  /**
   * Accepts a client's resume point, or says plainly that it cannot be honoured. What it subscribes
   * to now is replayed at once; what it subscribes to later on this connection is replayed when it
   * does, before any live message of it (docs/PROTOCOL.md, "Sequence numbers and resume").
   */
  synchronized void resume(ClientSession client, ClientMessage.Resume resume) {
    String epoch = journal.epoch();
    String reason =
        !resume.epoch().equals(epoch) ? "epoch changed: the gateway restarted"
        : resume.seq() > journal.head() ? "seq is ahead of the stream"
        : journal.after(resume.seq()).isEmpty()
            ? "the journal no longer holds seq " + (resume.seq() + 1)
        : null;
    if (reason != null) {
      unrecoverable(client, resume.seq(), reason);
      return;
    }
    client.resumeFrom(resume.seq());
    if (!client.subscriptions().isEmpty()) {
      replay(client, client.subscriptions(), resume.seq());
    }
  }

  /**
   * Sends what the client missed of {@code wanted} after {@code from}: every journaled message it
   * has not had on this connection (never one it already got live), then {@code x-resumed}.
   */
  private void replay(ClientSession client, Interest wanted, long from) {
    String epoch = journal.epoch();
    long head = journal.head();
    Optional<List<Streamed>> missed = journal.after(from);
    if (missed.isEmpty()) {
      client.resumeFrom(-1);
      unrecoverable(client, from, "the journal no longer holds seq " + (from + 1));
      return;
    }
    List<Streamed> wantedMissed = new ArrayList<>();
    int gapCount = 0;
    for (Streamed s : missed.get()) {
      if (s.seq() <= notHadAfter(client, s, wanted)) {
        wantedMissed.add(s);
        gapCount += s.gap() != null ? 1 : 0;
      }
    }
    if (wantedMissed.size() > maxReplay) {
      client.resumeFrom(-1);
      unrecoverable(client, from, "more missed messages than a client may be sent at once");
      return;
    }
    List<ClientOutbox.Item> items = new ArrayList<>(wantedMissed.size());
    wantedMissed.forEach(s -> {
      byte[] bytes = encoded(client, s, true);
      if (bytes != null) {
        client.sentSeq(s.seq());
        items.add(new ClientOutbox.Item(bytes, null));
      }
    });
    if (client.outbox().data(items) == ClientOutbox.Offer.SLOW) {
      slow.accept(client);
      return;
    }
    client.deliveredAfter(GapBook.keys(wanted), from);
    client.send(GatewayMessages.resumed(
        client.format(), epoch, from + 1, head, items.size(), gapCount));
  }

  /**
   * Up to which sequence number the client has not had {@code s} of {@code wanted}: -1 when it
   * does not concern {@code wanted}; otherwise the lowest point after which the client has had
   * everything of a (channel, symbol) the message belongs to, or the head when it never had any.
   */
  private long notHadAfter(ClientSession client, Streamed s, Interest wanted) {
    List<GapBook.Key> keys = new ArrayList<>(4);
    if (s.gap() != null) {
      Interest concerned = GapBook.overlap(s.gap().covers(), wanted);
      for (GapBook.Key key : GapBook.keys(concerned)) {
        keys.add(key);
        keys.add(new GapBook.Key(key.channel(), Interest.WILDCARD));
      }
    } else if (wanted.matches(s.event().channel(), s.event().symbol())) {
      keys.add(new GapBook.Key(s.event().channel(), s.event().symbol()));
      keys.add(new GapBook.Key(s.event().channel(), Interest.WILDCARD));
    }
    if (keys.isEmpty()) {
      return -1;
    }
    long bound = Long.MAX_VALUE;
    for (GapBook.Key key : keys) {
      Long after = client.deliveredAfter(key);
      if (after != null) {
        bound = Math.min(bound, after);
      }
    }
    return bound;
  }

  private void unrecoverable(ClientSession client, long seq, String reason) {
    client.send(GatewayMessages.unrecoverable(
        client.format(), journal.epoch(), seq, journal.oldest(), journal.head(), reason));
  }

  synchronized void feedSelected(FeedSelected selected, Iterable<ClientSession> clients) {
    feed = selected;
    for (ClientSession client : clients) {
      if (client.options().feedNotices()) {
        client.send(feedNotice(client));
      }
    }
  }

  private byte[] feedNotice(ClientSession client) {
    return GatewayMessages.feed(client.format(), feed.feed(), feed.reason(), feed.at());
  }

  /** Held-back messages of a rate-capped client whose time has come. */
  private synchronized void release(ClientSession client) {
    client.releaseRan();
    RateCap cap = client.rateCap();
    if (cap != null && !client.outbox().closing()) {
      deliver(client, cap.release(nanoTime.getAsLong()), nanoTime.getAsLong(), false);
      scheduleRelease(client, cap);
    }
  }

  private void releaseGuarded(ClientSession client) {
    try {
      release(client);
    } catch (RuntimeException e) { // a task boundary: log it, the next release reschedules
      LOG.log(Level.WARNING, client.describe() + ": releasing rate-capped messages failed", e);
    }
  }

  /**
   * Queues events for one client. {@code live} marks events just published: only those pass the
   * client's rate cap and count towards the delivery latency (last values, replays and held-back
   * messages are old by design).
   */
  private void deliver(ClientSession client, List<Streamed> batch, long now, boolean live) {
    RateCap cap = live ? client.rateCap() : null;
    boolean sequenced = client.options().sequence();
    List<ClientOutbox.Item> items = new ArrayList<>(batch.size());
    for (Streamed s : batch) {
      if (cap != null && s.key() != null && !cap.admit(s, now)) {
        continue;
      }
      // a last value or a released quote is older than what the client may have had since: it
      // keeps its x-seq only while that stays in order, otherwise it goes as a plain snapshot
      boolean withSeq = sequenced && (live || s.gap() != null || s.seq() > client.highestSeqSent());
      byte[] bytes = encoded(client, s, withSeq);
      if (bytes == null) {
        continue;
      }
      if (withSeq) {
        client.sentSeq(s.seq());
      }
      items.add(new ClientOutbox.Item(bytes, s.key(), live ? s.eventNanos() : 0));
    }
    if (client.outbox().data(items) == ClientOutbox.Offer.SLOW) {
      slow.accept(client);
    } else if (cap != null) {
      scheduleRelease(client, cap);
    }
  }

  /** Deliveries skipped because their message could not be encoded, see {@link Streamed#bytes}. */
  synchronized long unencodable() {
    return unencodable;
  }

  private void unencodable(ClientSession client, Streamed s) {
    unencodable++;
    String kind = s.event() instanceof PassThrough p
        ? "passed-through T:" + Printable.of(p.type())
        : s.event().getClass().getSimpleName();
    if (unencodableKinds.size() < MAX_LOGGED_KINDS && unencodableKinds.add(kind)) {
      LOG.log(Level.WARNING, s.failure(), () -> stream + ": a " + kind + " message (seq " + s.seq()
          + ") cannot be encoded for " + client.format() + " and is skipped for every client;"
          + " logged once per kind");
    }
  }

  /**
   * An event's shared encoding, or a gap marker made for this client's subscriptions; null for an
   * event that cannot be encoded, which is skipped (counted, logged once per kind).
   */
  private byte[] encoded(ClientSession client, Streamed s, boolean sequenced) {
    if (s.gap() == null) {
      byte[] bytes = s.bytes(client.format(), sequenced);
      if (bytes == null) {
        unencodable(client, s);
      }
      return bytes;
    }
    return GatewayMessages.gap(
        client.format(), GapBook.forClient(s.gap(), client.subscriptions()), s.seq());
  }

  private void scheduleRelease(ClientSession client, RateCap cap) {
    long due = cap.nextDueNanos();
    if (due != -1 && client.scheduleRelease()) {
      long delay = Math.max(0, due - nanoTime.getAsLong());
      scheduler.schedule(() -> releaseGuarded(client), delay, TimeUnit.NANOSECONDS);
    }
  }
}
