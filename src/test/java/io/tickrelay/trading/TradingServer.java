package io.tickrelay.trading;

import io.tickrelay.config.Credential;
import io.tickrelay.config.Credentials;
import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.TradeUpdate;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.TyrusTransport;
import io.tickrelay.upstream.UpstreamConnection;
import io.tickrelay.upstream.UpstreamListener;
import io.tickrelay.upstream.UpstreamSettings;
import io.tickrelay.upstream.UpstreamState;
import io.tickrelay.upstream.UpstreamStateChanged;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.tyrus.server.Server;

/**
 * The trading side of the gateway without a container, on one standalone Tyrus server on a free
 * port: a {@link TradingSimulator} as the account's upstream, the shared {@link UpstreamConnection}
 * lifecycle with the {@link TradingProtocol} adapter connected to it, and the {@link TradingHub}
 * its updates reach; the hub's demand goes to the connection, as the CDI shells route it.
 */
final class TradingServer implements AutoCloseable {

  static final String ACCOUNT_KEY = "account-key";
  static final String ACCOUNT_SECRET = "account-secret";
  /** {@code trader} is entitled ({@code trade_updates}), {@code all} has {@code *}, {@code stocks} is not. */
  static final String CLIENTS = "trader:trader-secret:trade_updates,all:all-secret:*+trade_updates,stocks:stocks-secret:sip+iex,solo:solo-secret:trade_updates,market:market-secret:*";

  private static final Map<String, TradingServer> SERVERS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final TyrusTransport transport = new TyrusTransport();
  private final ExecutorTasks tasks = new ExecutorTasks();
  final TradingSimulator simulator;
  final TradingHub hub;
  final UpstreamConnection upstream;
  final AtomicReference<UpstreamSettings.Credentials> account =
      new AtomicReference<>(new UpstreamSettings.Credentials(ACCOUNT_KEY, ACCOUNT_SECRET));
  private final Server server;

  TradingServer() throws Exception {
    this(Duration.ofHours(1)); // lifecycle events only on request
  }

  /** @param interval the simulator's time between two lifecycle events */
  TradingServer(Duration interval) throws Exception {
    simulator = new TradingSimulator(
        Credential.withPlainSecret(ACCOUNT_KEY, ACCOUNT_SECRET, Set.of("trade_updates")),
        interval, scheduler, Clock.systemUTC(), 7);
    SERVERS.put(id, this);
    server = new Server("localhost", -1, "/t", Map.of(), UpstreamFace.class, ClientFace.class);
    server.start();
    UpstreamSettings settings = new UpstreamSettings("alpaca-trading", uri("upstream"),
        List.of("trade_updates"), ACCOUNT_KEY, ACCOUNT_SECRET, Duration.ofSeconds(5),
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(400)), Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO,
        UpstreamSettings.SilenceCheck.OFF, Duration.ZERO, 3)
        .withCredentialSource(account::get);
    upstream = new UpstreamConnection(new TradingProtocol(Clock.systemUTC()), settings, transport,
        tasks, new Relay(), Clock.systemUTC());
    hub = new TradingHub(
        new TradingHubSettings(Credentials.parse(CLIENTS), Duration.ofSeconds(2),
            new ClientOutbox.Limits(64, Duration.ofSeconds(5), 1), 4096, 3,
            new ControlRate.Limits(20, 40, 100),
            Entitlements.parse("solo:1:*", new Entitlements.Limits(100, 1000))),
        scheduler, upstream::demand, System::nanoTime);
    simulator.start();
    upstream.start(); // kept warm; ConnectionGroup's leases are tested with the upstream core
  }

  boolean upstreamLive() {
    return upstream.status().state() == UpstreamState.CONNECTED;
  }

  /** What the connection produces reaches the hub, as TradingClients receives it through CDI. */
  private final class Relay implements UpstreamListener {
    @Override
    public void stateChanged(UpstreamStateChanged change) {}

    @Override
    public void received(MarketDataReceived data) {
      List<TradeUpdate> updates = data.events().stream()
          .filter(TradeUpdate.class::isInstance).map(TradeUpdate.class::cast).toList();
      hub.publish(updates);
    }
  }

  /** {@code upstream} is the simulator, {@code stream} the gateway's {@code /stream}. */
  URI uri(String path) {
    return URI.create("ws://localhost:" + server.getPort() + "/t/" + id + "/" + path);
  }

  @Override
  public void close() {
    upstream.stop();
    tasks.close();
    hub.closeAll();
    simulator.stop();
    server.stop();
    scheduler.shutdownNow();
    SERVERS.remove(id);
  }

  /** The simulator's face, as thin as TradingSimulatorEndpoint. */
  @ServerEndpoint("/{id}/upstream")
  public static class UpstreamFace {
    private TradingSimulator simulator;

    @OnOpen
    public void open(Session session, @PathParam("id") String id) {
      simulator = SERVERS.get(id).simulator;
      simulator.opened(session);
    }

    @OnMessage
    public void text(Session session, String text) {
      simulator.text(session, text);
    }

    @OnMessage
    public void binary(Session session, byte[] frame) {
      simulator.binary(session, frame);
    }

    @OnClose
    public void close(Session session) {
      simulator.closed(session);
    }
  }

  /** The gateway's {@code /stream}, as thin as TradingStreamEndpoint. */
  @ServerEndpoint("/{id}/stream")
  public static class ClientFace {
    private TradingHub hub;
    private TradingClient client;

    @OnOpen
    public void open(Session session, @PathParam("id") String id) {
      hub = SERVERS.get(id).hub;
      client = hub.opened(session);
    }

    @OnMessage
    public void text(String text) {
      hub.text(client, text);
    }

    @OnMessage
    public void binary(byte[] frame) {
      hub.binary(client, frame);
    }

    @OnClose
    public void close() {
      hub.closed(client);
    }
  }
}
