package io.tickrelay.backfill;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.MarketEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs backfills, container-free: picks the source of the stream, fetches each channel in turn
 * on {@code executor} within one budget, and merges what came back into time order. {@link
 * MissedData} is its CDI face; tests use it with plain executors and clocks.
 */
public final class Backfill {

  private static final Logger LOG = Logger.getLogger(Backfill.class.getName());

  /** Minute bars carry their start and are published when they close, one minute later. */
  static final Duration BAR_PERIOD = Duration.ofMinutes(1);

  private final List<HistorySource> sources;
  private final Executor executor;
  private final Clock clock;
  private final BackfillLimits limits;

  public Backfill(List<HistorySource> sources, Executor executor, Clock clock, BackfillLimits limits) {
    this.sources = List.copyOf(sources);
    this.executor = executor;
    this.clock = clock;
    this.limits = limits;
  }

  /** Fetches {@code window} on the executor; the future never completes exceptionally. */
  public CompletableFuture<Recovered> fetch(MissedWindow window) {
    try {
      return CompletableFuture.supplyAsync(() -> run(window), executor);
    } catch (RejectedExecutionException e) { // shutting down: say so instead of throwing at the caller
      return CompletableFuture.completedFuture(
          unsupported(window, "backfill not run: executor refused (" + e.getMessage() + ")"));
    }
  }

  Recovered run(MissedWindow window) {
    Optional<HistorySource> source = sources.stream().filter(s -> s.serves(window.stream())).findFirst();
    ChannelFetch.Budget budget = new ChannelFetch.Budget(limits, clock.instant());
    Map<Channel, ChannelRecovery> outcomes = new EnumMap<>(Channel.class);
    List<MarketEvent> events = new ArrayList<>();
    for (Channel channel : new java.util.TreeSet<>(window.symbols().keySet())) {
      if (source.isEmpty() || !source.get().channels(window.stream()).contains(channel)) {
        outcomes.put(channel, new ChannelRecovery(channel, ChannelRecovery.Outcome.UNSUPPORTED,
            window.symbols().get(channel), 0, "no history of " + channel.wireName() + " on " + window.stream()));
        continue;
      }
      ChannelFetch fetch = fetchOf(window, channel, budget);
      ChannelRecovery recovery = fetchChannel(source.get(), fetch);
      outcomes.put(channel, recovery);
      events.addAll(fetch.events());
    }
    events.sort(Comparator.comparing(MarketEvent::timestamp)); // stable: a symbol's ids stay in order
    Recovered recovered = new Recovered(window.stream(), window.from(), window.to(), events, outcomes);
    LOG.info(() -> "backfill " + window.stream() + " [" + window.from() + ", " + window.to() + "): "
        + summary(recovered));
    return recovered;
  }

  private ChannelFetch fetchOf(MissedWindow window, Channel channel, ChannelFetch.Budget budget) {
    boolean bars = channel == Channel.BARS;
    Instant from = bars ? window.from().minus(BAR_PERIOD) : window.from();
    Instant to = bars ? window.to().minus(BAR_PERIOD) : window.to();
    return new ChannelFetch(window, channel, from, to, budget, limits, clock);
  }

  private static ChannelRecovery fetchChannel(HistorySource source, ChannelFetch fetch) {
    ChannelRecovery.Outcome outcome;
    String detail;
    try {
      source.fetch(fetch);
      outcome = fetch.stoppedBy() == null ? ChannelRecovery.Outcome.COMPLETE : fetch.stoppedBy();
      detail = switch (outcome) {
        case COMPLETE -> "";
        case DEADLINE -> "deadline of " + fetch.limits().deadline() + " passed";
        default -> "limit of " + fetch.limits().maxPages() + " pages / "
            + fetch.limits().maxEvents() + " events reached";
      };
    } catch (HistoryUnavailable e) {
      outcome = e.outcome();
      detail = e.getMessage();
      LOG.warning(() -> "backfill " + fetch.stream() + " " + fetch.channel().wireName() + ": "
          + e.getMessage() + " (" + fetch.events().size() + " events recovered before)");
    } catch (RuntimeException e) { // task boundary: one broken source must not lose the other channels
      outcome = ChannelRecovery.Outcome.FAILED;
      detail = "internal error: " + e.getClass().getSimpleName();
      LOG.log(Level.WARNING, "backfill " + fetch.stream() + " " + fetch.channel().wireName() + " failed", e);
    }
    return new ChannelRecovery(fetch.channel(), outcome, fetch.symbols(), fetch.events().size(), detail);
  }

  private static Recovered unsupported(MissedWindow window, String why) {
    Map<Channel, ChannelRecovery> outcomes = new EnumMap<>(Channel.class);
    window.symbols().forEach((channel, symbols) -> outcomes.put(channel,
        new ChannelRecovery(channel, ChannelRecovery.Outcome.UNSUPPORTED, symbols, 0, why)));
    return new Recovered(window.stream(), window.from(), window.to(), List.of(), outcomes);
  }

  /** The answer for a gateway whose backfill is switched off. */
  static Recovered disabled(MissedWindow window) {
    return unsupported(window, "backfill disabled (TICKRELAY_BACKFILL_ENABLED=false)");
  }

  private static String summary(Recovered recovered) {
    StringBuilder text = new StringBuilder();
    recovered.channels().values().stream()
        .sorted(Comparator.comparing(ChannelRecovery::channel))
        .forEach(c -> text.append(text.length() == 0 ? "" : ", ")
            .append(c.channel().wireName()).append(' ').append(c.outcome()).append(' ').append(c.events()));
    return text.toString();
  }
}
