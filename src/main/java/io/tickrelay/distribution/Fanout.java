package io.tickrelay.distribution;

import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.GatewayMessages;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private final Subscriptions subscriptions;
  private final LastValues lastValues = new LastValues();
  private final Journal journal;
  private final Consumer<DemandChanged> demand;
  private final Consumer<ClientSession> slow;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final int maxReplay;
  private FeedSelected feed;

  Fanout(
      String stream,
      int journalSize,
      int maxReplay,
      Consumer<DemandChanged> demand,
      Consumer<ClientSession> slow,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime) {
    this.subscriptions = new Subscriptions(stream);
    this.journal = new Journal(journalSize);
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
   * Applies a new subscription set: index, upstream demand, the full-state answer and, for clients
   * that asked, the last values of what was added, in that order.
   */
  synchronized void subscribe(ClientSession client, Interest next) {
    Interest added = next.minus(client.subscriptions());
    DemandChanged change = subscriptions.replace(client, next);
    if (!change.added().isEmpty() || !change.removed().isEmpty()) {
      demand.accept(change); // under the lock, so the upstream sees changes in order
    }
    client.send(
        client.path().kind() == StreamPath.Kind.STOCKS
            ? client.codec().subscription(next)
            : client.codec().subscription(next, client.path().offered()));
    if (client.options().lastValue()) {
      deliver(client, lastValues.of(added), nanoTime.getAsLong(), false);
    }
  }

  /** Drops every subscription of a client that left or was cut off. */
  synchronized void forget(ClientSession client) {
    if (!client.subscriptions().isEmpty()) {
      DemandChanged change = subscriptions.replace(client, Interest.none());
      if (!change.added().isEmpty() || !change.removed().isEmpty()) {
        demand.accept(change);
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

  /** Replays what a client missed after {@code seq}, or says plainly that it cannot. */
  synchronized void resume(ClientSession client, ClientMessage.Resume resume) {
    String epoch = journal.epoch();
    long head = journal.head();
    Optional<List<Streamed>> missed =
        resume.epoch().equals(epoch) ? journal.after(resume.seq()) : Optional.empty();
    List<Streamed> wanted = new ArrayList<>();
    missed.ifPresent(
        all -> all.stream()
            .filter(s -> client.subscriptions().matches(s.event().channel(), s.event().symbol()))
            .forEach(wanted::add));
    String reason =
        !resume.epoch().equals(epoch) ? "epoch changed: the gateway restarted"
        : resume.seq() > head ? "seq is ahead of the stream"
        : missed.isEmpty() ? "the journal no longer holds seq " + (resume.seq() + 1)
        : wanted.size() > maxReplay ? "more missed messages than a client may be sent at once"
        : null;
    if (reason != null) {
      client.send(
          GatewayMessages.unrecoverable(
              client.format(), epoch, resume.seq(), journal.oldest(), head, reason));
      return;
    }
    List<ClientOutbox.Item> items = new ArrayList<>(wanted.size());
    wanted.forEach(s -> items.add(new ClientOutbox.Item(s.bytes(client.format(), true), null)));
    if (client.outbox().data(items) == ClientOutbox.Offer.SLOW) {
      slow.accept(client);
      return;
    }
    client.send(
        GatewayMessages.resumed(client.format(), epoch, resume.seq() + 1, head, wanted.size()));
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
      items.add(new ClientOutbox.Item(
              s.bytes(client.format(), sequenced), s.key(), live ? s.eventNanos() : 0));
    }
    if (client.outbox().data(items) == ClientOutbox.Offer.SLOW) {
      slow.accept(client);
    } else if (cap != null) {
      scheduleRelease(client, cap);
    }
  }

  private void scheduleRelease(ClientSession client, RateCap cap) {
    long due = cap.nextDueNanos();
    if (due != -1 && client.scheduleRelease()) {
      long delay = Math.max(0, due - nanoTime.getAsLong());
      scheduler.schedule(() -> releaseGuarded(client), delay, TimeUnit.NANOSECONDS);
    }
  }
}
