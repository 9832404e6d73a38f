package io.tickrelay.upstream;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The gateway's upstream connections: one {@link ConnectionGroup} per stream, defined by the
 * {@link UpstreamProvider} beans of the provider packages. Client demand of a stream goes to that
 * stream's group; what the connections produce leaves as CDI events. Started on CDI {@link Startup}
 * without blocking it. When an {@link UpstreamGate} governs (a cluster), each stream is a {@link
 * GatedStream} the gate opens and closes, and client demand goes to the gate instead.
 */
@ApplicationScoped
public class UpstreamConnections {

  private static final Logger LOG = Logger.getLogger(UpstreamConnections.class.getName());

  @Inject GatewayConfig config;
  @Inject TyrusTransport transport;
  @Inject ManagedTasks managedTasks;
  @Inject Instance<UpstreamProvider> providers;
  @Inject Event<MarketDataReceived> marketData;
  @Inject Event<UpstreamStateChanged> stateChanges;
  @Inject Event<FeedSelected> feedSelections;
  @Inject Event<SubscriptionRefused> refusals;
  @Inject Event<UpstreamInterrupted> interruptions;
  @Inject Event<UpstreamRestored> restorations;
  @Inject Instance<UpstreamGate> gates;

  private final Map<String, ConnectionGroup> groups = new LinkedHashMap<>();
  /** The streams a gate governs; empty without one. */
  private final Map<String, GatedStream> gated = new LinkedHashMap<>();
  /** Null: a single node, no gate. */
  private UpstreamGate gate;

  synchronized void start(@Observes Startup startup) {
    Tasks tasks = managedTasks.tasksVia(managedTasks); // the injected proxy: @Asynchronous applies
    gate = gates.stream().filter(UpstreamGate::governs).findFirst().orElse(null);
    UpstreamSettings common = common();
    List<UpstreamDefinition> definitions = new ArrayList<>();
    for (UpstreamProvider provider : providers) {
      definitions.addAll(provider.upstreams(common));
    }
    // a stable order for status and health whatever order CDI finds providers in: stocks first
    definitions.sort(Comparator.comparing((UpstreamDefinition d) -> !Streams.STOCKS.equals(d.stream()))
        .thenComparing(UpstreamDefinition::stream));
    for (UpstreamDefinition definition : definitions) {
      if (groups.containsKey(definition.stream()) || gated.containsKey(definition.stream())) {
        LOG.severe("Stream " + definition.stream() + " already has an upstream; "
            + definition.settings().name() + " is ignored");
        continue;
      }
      LOG.info(() -> "Stream " + definition.stream() + " is served by " + definition.protocol().provider()
          + " (" + definition.settings().name() + ")");
      if (gate == null) {
        groups.put(definition.stream(), group(definition, tasks));
      } else {
        gated.put(definition.stream(), new GatedStream(definition, () -> group(definition, tasks)));
      }
    }
    groups.values().forEach(ConnectionGroup::start);
    if (gate != null) {
      gated.values().forEach(gate::govern);
    }
  }

  private ConnectionGroup group(UpstreamDefinition definition, Tasks tasks) {
    return new ConnectionGroup(definition, (d, settings, listener) ->
        new UpstreamConnection(d.protocol(), settings, transport, tasks, listener, Clock.systemUTC()),
        new CdiListener(), Clock.systemUTC(), tasks);
  }

  /** The gateway-wide timing every upstream starts from; providers add URL, feeds and keys. */
  private UpstreamSettings common() {
    return new UpstreamSettings(
        "upstream",
        config.alpacaStreamUrl(),
        config.feeds(),
        config.upstreamKeyId(),
        config.upstreamSecret(),
        config.upstreamAuthTimeout(),
        new Backoff(config.backoffInitial(), config.backoffMax()),
        config.connectionLimitWait(),
        config.throttledFloor(),
        config.pingInterval(),
        config.pongTimeout(),
        config.silenceWindow(),
        UpstreamSettings.SilenceCheck.valueOf(
            config.silenceCheck().trim().toUpperCase(Locale.ROOT).replace('-', '_')),
        config.reprobeInterval(),
        config.escalateAfter())
        .withQuickReconnect(new UpstreamSettings.QuickReconnect(config.healthyAfter(), config.quickReconnectJitter()));
  }

  /** Client demand of a stream changed: its group subscribes; streams without an upstream ignore it. */
  void onDemand(@Observes DemandChanged change) {
    ConnectionGroup group;
    UpstreamGate governing;
    synchronized (this) {
      group = groups.get(change.stream());
      governing = gated.containsKey(change.stream()) ? gate : null;
    }
    if (governing != null) {
      governing.localDemand(change);
    } else if (group != null) {
      group.demand(change);
    }
  }

  /** Every connection of every stream, in definition order. */
  public List<UpstreamStatus> statuses() {
    List<ConnectionGroup> current;
    List<GatedStream> governed;
    synchronized (this) {
      current = new ArrayList<>(groups.values());
      governed = new ArrayList<>(gated.values());
    }
    List<UpstreamStatus> all = new ArrayList<>();
    current.forEach(group -> all.addAll(group.statuses()));
    governed.forEach(stream -> all.addAll(stream.statuses()));
    return all;
  }

  /**
   * True when every held connection of the named streams is authenticated and at least one is
   * held; {@code *} names every stream. A replacement or feed probe still coming up beside a
   * serving connection does not count: the stream is served meanwhile.
   */
  public boolean live(java.util.Set<String> streams) {
    List<ConnectionGroup> current;
    List<GatedStream> governed;
    synchronized (this) {
      current = new ArrayList<>(groups.values());
      governed = new ArrayList<>(gated.values());
    }
    List<UpstreamStatus> serving = new ArrayList<>();
    current.forEach(group -> serving.addAll(group.servingStatuses()));
    governed.forEach(stream -> serving.addAll(stream.servingStatuses()));
    List<UpstreamStatus> gating = serving.stream()
        .filter(s -> streams.contains("*") || streams.contains(s.stream()))
        .toList();
    return !gating.isEmpty() && gating.stream().allMatch(UpstreamStatus::live);
  }

  @PreDestroy
  void stop() {
    List<ConnectionGroup> current;
    List<GatedStream> governed;
    synchronized (this) {
      current = new ArrayList<>(groups.values());
      governed = new ArrayList<>(gated.values());
    }
    current.forEach(ConnectionGroup::stop);
    governed.forEach(GatedStream::end);
  }

  /** Forwards a connection's output as CDI events, which health and distribution observe. */
  private final class CdiListener implements UpstreamListener {
    @Override
    public void stateChanged(UpstreamStateChanged change) {
      stateChanges.fire(change);
    }

    @Override
    public void received(MarketDataReceived data) {
      marketData.fire(data);
    }

    @Override
    public void feedSelected(FeedSelected selected) {
      feedSelections.fire(selected);
    }

    @Override
    public void subscriptionRefused(SubscriptionRefused refused) {
      refusals.fire(refused);
    }

    @Override
    public void interrupted(UpstreamInterrupted interrupted) {
      interruptions.fire(interrupted);
    }

    @Override
    public void restored(UpstreamRestored restored) {
      restorations.fire(restored);
    }
  }
}
