package io.tickrelay.trading;

import io.tickrelay.config.Credential;
import io.tickrelay.config.Credentials;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.TyrusTransport;
import io.tickrelay.upstream.UpstreamSettings;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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
 * port: a {@link TradingSimulator} as the account's upstream, a {@link TradingUpstream} connected
 * to it, and the {@link TradingHub} its updates reach, wired as the CDI shells wire them.
 */
final class TradingServer implements AutoCloseable {

  static final String ACCOUNT_KEY = "account-key";
  static final String ACCOUNT_SECRET = "account-secret";
  /** {@code trader} is entitled ({@code trade_updates}), {@code all} has {@code *}, {@code stocks} is not. */
  static final String CLIENTS = "trader:trader-secret:trade_updates,all:all-secret:*,stocks:stocks-secret:sip+iex";

  private static final Map<String, TradingServer> SERVERS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final TyrusTransport transport = new TyrusTransport();
  final TradingSimulator simulator;
  final TradingHub hub;
  final TradingUpstream upstream;
  final AtomicReference<UpstreamSettings.Credentials> account =
      new AtomicReference<>(new UpstreamSettings.Credentials(ACCOUNT_KEY, ACCOUNT_SECRET));
  private final Server server;

  /** @param keepWarm hold the upstream without listeners, as TICKRELAY_UPSTREAM_KEEP_WARM does */
  TradingServer(boolean keepWarm) throws Exception {
    this(keepWarm, Duration.ofHours(1)); // lifecycle events only on request
  }

  /** @param interval the simulator's time between two lifecycle events */
  TradingServer(boolean keepWarm, Duration interval) throws Exception {
    simulator = new TradingSimulator(
        Credential.withPlainSecret(ACCOUNT_KEY, ACCOUNT_SECRET, Set.of("trade_updates")),
        interval, scheduler, Clock.systemUTC(), 7);
    upstream = new TradingUpstream(transport, () -> uri("upstream"), account::get,
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)), scheduler, Clock.systemUTC(),
        updates -> hub().publish(updates));
    hub = new TradingHub(
        new TradingHubSettings(Credentials.parse(CLIENTS), Duration.ofSeconds(2),
            new ClientOutbox.Limits(64, Duration.ofSeconds(5), 1), 4096),
        scheduler, listening -> upstream.want(keepWarm || listening), System::nanoTime);
    SERVERS.put(id, this);
    server = new Server("localhost", -1, "/t", Map.of(), UpstreamFace.class, ClientFace.class);
    server.start();
    simulator.start();
    upstream.want(keepWarm);
  }

  private TradingHub hub() {
    return hub;
  }

  /** {@code upstream} is the simulator, {@code stream} the gateway's {@code /stream}. */
  URI uri(String path) {
    return URI.create("ws://localhost:" + server.getPort() + "/t/" + id + "/" + path);
  }

  @Override
  public void close() {
    upstream.stop();
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
