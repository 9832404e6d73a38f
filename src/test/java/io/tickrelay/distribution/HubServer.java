package io.tickrelay.distribution;

import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.config.Credentials;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.DirectWriter;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.protocol.HandshakeCapture;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.tyrus.server.Server;

/**
 * The client side of the gateway without a container: a {@link ClientHub} served by a standalone
 * Tyrus server on a free port, the same way {@code testing.FakeAlpaca} serves the simulator.
 */
final class HubServer implements AutoCloseable {

  /** Tyrus instantiates endpoints by class; this maps each server's id to its hub. */
  private static final Map<String, ClientHub> HUBS = new ConcurrentHashMap<>();

  static final String KEY = "client";
  static final String SECRET = "client-secret";

  final List<DemandChanged> demand = new CopyOnWriteArrayList<>();
  private final String id = UUID.randomUUID().toString();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final ClientHub hub;
  private final Server server;

  HubServer(HubSettings settings) throws Exception {
    hub = new ClientHub(settings, scheduler, demand::add, System::nanoTime);
    HUBS.put(id, hub);
    server = new Server("localhost", -1, "/hub", Map.of(), Set.of(Endpoint.class, CryptoEndpoint.class)); // -1: a free port
    server.start();
  }

  /**
   * Generous limits; credentials: the test key (market data, {@code *} subscriptions, published
   * channels), {@code iex-only}, {@code narrow} (2 connections, 3 symbols) and {@code market} (plain
   * {@code *}: market data, no wildcard); short auth window.
   */
  static HubSettings settings() {
    return new HubSettings(
        Credentials.parse(KEY + ":" + SECRET + ":*+wildcard+channels,iex-only:iex-secret:iex,narrow:narrow:*,market:market:*"),
        Entitlements.parse("narrow:2:3", new Entitlements.Limits(1000, 10_000)),
        Duration.ofSeconds(2),
        2000,
        new ClientOutbox.Limits(4096, Duration.ofSeconds(30), 64 * 1024),
        Duration.ofSeconds(2),
        1000,
        new ControlRate.Limits(50, 100, 200),
        64 * 1024,
        4096,
        Duration.ZERO,
        new DirectWriter.Settings(Duration.ofMillis(50), 16)); // as in production
  }

  ClientHub hub() {
    return hub;
  }

  /** Timers queued in the hub's scheduler, cancelled ones included (they stay until due). */
  int queuedTimers() {
    return ((java.util.concurrent.ScheduledThreadPoolExecutor) scheduler).getQueue().size();
  }

  URI cryptoUri(String location) {
    return URI.create(
        "ws://localhost:" + server.getPort() + "/hub/" + id + "/v1beta3/crypto/" + location);
  }

  URI uri(String feed) {
    return URI.create("ws://localhost:" + server.getPort() + "/hub/" + id + "/v2/" + feed);
  }

  int port() {
    return server.getPort();
  }

  String path(String feed) {
    return "/hub/" + id + "/v2/" + feed;
  }

  @Override
  public void close() {
    hub.closeAll();
    server.stop();
    scheduler.shutdownNow();
    HUBS.remove(id);
  }

  /** The hub's stock face, as thin as the WAR's StreamEndpoint. */
  @ServerEndpoint(value = "/{id}/v2/{feed}", configurator = HandshakeCapture.class)
  public static class Endpoint {
    private final Callbacks callbacks = new Callbacks();

    @OnOpen
    public void open(Session session, @PathParam("id") String id, @PathParam("feed") String feed) {
      callbacks.open(session, id, StreamPath.stocks(feed));
    }

    @OnMessage(maxMessageSize = ClientCallbacks.MAX_MESSAGE_BYTES)
    public void text(String text) {
      callbacks.text(text);
    }

    @OnMessage(maxMessageSize = ClientCallbacks.MAX_MESSAGE_BYTES)
    public void binary(byte[] frame) {
      callbacks.binary(frame);
    }

    @OnClose
    public void close() {
      callbacks.close();
    }
  }

  /** The hub's crypto face, {@code /v1beta3/crypto/{loc}}. */
  @ServerEndpoint(value = "/{id}/v1beta3/crypto/{loc}", configurator = HandshakeCapture.class)
  public static class CryptoEndpoint {
    private final Callbacks callbacks = new Callbacks();

    @OnOpen
    public void open(Session session, @PathParam("id") String id, @PathParam("loc") String loc) {
      callbacks.open(session, id, StreamPath.crypto(loc));
    }

    @OnMessage(maxMessageSize = ClientCallbacks.MAX_MESSAGE_BYTES)
    public void text(String text) {
      callbacks.text(text);
    }

    @OnMessage(maxMessageSize = ClientCallbacks.MAX_MESSAGE_BYTES)
    public void binary(byte[] frame) {
      callbacks.binary(frame);
    }

    @OnClose
    public void close() {
      callbacks.close();
    }
  }

  /** What the faces share: find the hub by server id and pass everything on. */
  private static final class Callbacks {
    private ClientHub hub;
    private ClientSession client;

    void open(Session session, String id, Optional<StreamPath> path) {
      session.setMaxTextMessageBufferSize(ClientCallbacks.MAX_MESSAGE_BYTES);
      session.setMaxBinaryMessageBufferSize(ClientCallbacks.MAX_MESSAGE_BYTES);
      hub = HUBS.get(id);
      if (hub != null) {
        client = hub.opened(session, path);
      }
    }

    void text(String text) {
      if (client != null) {
        hub.text(client, text);
      }
    }

    void binary(byte[] frame) {
      if (client != null) {
        hub.binary(client, frame);
      }
    }

    void close() {
      if (client != null) {
        hub.closed(client);
      }
    }
  }
}
