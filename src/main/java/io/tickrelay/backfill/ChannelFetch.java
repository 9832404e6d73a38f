package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.MarketEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One channel's part of a backfill, as a {@link HistorySource} sees it: the query, and the
 * budget it spends (pages and events shared with the other channels of the same backfill, one
 * deadline). Remembers why it stopped, so the outcome can say so.
 */
public final class ChannelFetch {

  private final MissedWindow window;
  private final Channel channel;
  private final Instant from;
  private final Instant to;
  private final BackfillLimits limits;
  private final Budget budget;
  private final Clock clock;
  private final List<MarketEvent> events = new ArrayList<>();
  private ChannelRecovery.Outcome stoppedBy;

  ChannelFetch(MissedWindow window, Channel channel, Instant from, Instant to, Budget budget,
      BackfillLimits limits, Clock clock) {
    this.window = window;
    this.channel = channel;
    this.from = from;
    this.to = to;
    this.budget = budget;
    this.limits = limits;
    this.clock = clock;
  }

  public String stream() {
    return window.stream();
  }

  public String feed() {
    return window.feed();
  }

  public Channel channel() {
    return channel;
  }

  public Set<String> symbols() {
    return window.symbols().get(channel);
  }

  /**
   * Start of the event timestamps wanted, inclusive. For trades the outage's start; for minute
   * bars (stamped with their start, published when they close) one minute earlier.
   */
  public Instant from() {
    return from;
  }

  /** End of the event timestamps wanted, exclusive. */
  public Instant to() {
    return to;
  }

  /** The last trade id seen per symbol before the outage; empty where unknown. */
  public Map<String, Long> lastTradeIds() {
    return window.lastTradeIds();
  }

  public BackfillLimits limits() {
    return limits;
  }

  public Clock clock() {
    return clock;
  }

  public Instant deadline() {
    return budget.deadline;
  }

  /** Time left before the deadline, zero once it has passed. */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), budget.deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Spends one request of the budget; false (and the reason remembered) when none is left. */
  public boolean nextPage() {
    if (remaining().isZero()) {
      stoppedBy = ChannelRecovery.Outcome.DEADLINE;
      return false;
    }
    if (!budget.takePage()) {
      stoppedBy = ChannelRecovery.Outcome.LIMIT_REACHED;
      return false;
    }
    return true;
  }

  /**
   * Keeps {@code event} if it lies in the window; false once the event limit is reached (the
   * event is then dropped and the source should stop).
   */
  public boolean add(MarketEvent event) {
    if (event.timestamp().isBefore(from) || !event.timestamp().isBefore(to)) {
      return true;
    }
    if (!budget.takeEvent()) {
      stoppedBy = ChannelRecovery.Outcome.LIMIT_REACHED;
      return false;
    }
    events.add(event);
    return true;
  }

  /** Marks the fetch as stopped by the deadline (a wait that would pass it, say). */
  public void deadlinePassed() {
    stoppedBy = ChannelRecovery.Outcome.DEADLINE;
  }

  List<MarketEvent> events() {
    return events;
  }

  ChannelRecovery.Outcome stoppedBy() {
    return stoppedBy;
  }

  /** The pages and events one backfill may still spend, shared by its channels. */
  static final class Budget {
    private final Instant deadline;
    private int pagesLeft;
    private int eventsLeft;

    Budget(BackfillLimits limits, Instant start) {
      this.deadline = start.plus(limits.deadline());
      this.pagesLeft = limits.maxPages();
      this.eventsLeft = limits.maxEvents();
    }

    synchronized boolean takePage() {
      if (pagesLeft <= 0) {
        return false;
      }
      pagesLeft--;
      return true;
    }

    synchronized boolean takeEvent() {
      if (eventsLeft <= 0) {
        return false;
      }
      eventsLeft--;
      return true;
    }
  }
}
