package io.tickrelay.upstream;

import io.tickrelay.marketdata.Interest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Another provider's limits over Alpaca's wire, for tests of the shared lifecycle: a small
 * per-connection cap, a short maximum session age, an identity per event.
 */
final class TunedProtocol implements UpstreamProtocol {

  private final UpstreamProtocol wire;
  private final int cap;
  private final Duration maxAge;
  private final Function<Inbound.Data, Object> identity;
  private int maxConnections = Integer.MAX_VALUE;

  TunedProtocol(UpstreamProtocol wire, int cap, Duration maxAge, Function<Inbound.Data, Object> identity) {
    this.wire = wire;
    this.cap = cap;
    this.maxAge = maxAge;
    this.identity = identity;
  }

  static TunedProtocol capped(UpstreamProtocol wire, int cap) {
    return new TunedProtocol(wire, cap, Duration.ZERO, d -> null);
  }

  /** At most {@code connections} connections, as Binance's TICKRELAY_BINANCE_MAX_CONNECTIONS. */
  TunedProtocol withMaxConnections(int connections) {
    maxConnections = connections;
    return this;
  }

  @Override
  public int maxConnections() {
    return maxConnections;
  }

  @Override
  public String provider() {
    return wire.provider();
  }

  @Override
  public String stream() {
    return wire.stream();
  }

  @Override
  public Target target(URI baseUrl, String feed, Interest demand) {
    return wire.target(baseUrl, feed, demand);
  }

  @Override
  public Conversation conversation(UpstreamSettings.Credentials credentials) {
    return wire.conversation(credentials);
  }

  @Override
  public List<Inbound> decode(String frame) throws UnreadableFrame {
    List<Inbound> items = new ArrayList<>();
    for (Inbound item : wire.decode(frame)) {
      items.add(item instanceof Inbound.Data data
          ? new Inbound.Data(data.event(), data.stream(), identity.apply(data)) : item);
    }
    return items;
  }

  @Override
  public List<SubscriptionRequest> requests(Interest added, Interest removed) {
    return wire.requests(added, removed);
  }

  @Override
  public ErrorStrategies.ErrorStrategy classify(int code) {
    return wire.classify(code);
  }

  @Override
  public int maxSubscriptions() {
    return cap;
  }

  @Override
  public Duration maxSessionAge() {
    return maxAge;
  }
}
