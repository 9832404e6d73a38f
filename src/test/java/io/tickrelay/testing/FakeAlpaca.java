package io.tickrelay.testing;

import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.protocol.HandshakeCapture;
import io.tickrelay.simulator.AlpacaSimulator;
import io.tickrelay.simulator.SimulatedHistoryApi;
import io.tickrelay.simulator.SimulatorSettings;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.tyrus.server.Server;

/**
 * The in-process fake upstream: the gateway's own {@link AlpacaSimulator} served by a standalone
 * Tyrus server on a free port, so tests exercise the same protocol behaviour the WAR embeds.
 */
public final class FakeAlpaca implements AutoCloseable {

  public static final String KEY = "fake-key";
  public static final String SECRET = "fake-secret";

  /** Tyrus instantiates endpoints by class; this maps each fake's id to its simulator. */
  private static final Map<String, AlpacaSimulator> SIMULATORS = new ConcurrentHashMap<>();

  private final String id;
  private final Server server;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final AlpacaSimulator simulator;
  private final HttpServer data;

  private FakeAlpaca(SimulatorSettings settings, int port, String id, int dataPort) throws Exception {
    this.id = id;
    simulator = new AlpacaSimulator(settings, scheduler, Clock.systemUTC(), 42);
    SIMULATORS.put(id, simulator);
    // port -1 = ephemeral; 0 would mean Tyrus's default 8025 (toolchain.md §6.9)
    server = new Server("localhost", port, "/fake", Map.of(), Endpoint.class, CryptoEndpoint.class);
    server.start();
    // the market-data REST API of the same market, for backfill (port 0 = ephemeral here)
    SimulatedHistoryApi history = new SimulatedHistoryApi(simulator.history(), settings.account());
    data = HttpServer.create(new InetSocketAddress("localhost", Math.max(0, dataPort)), 0);
    data.createContext("/", exchange -> answer(exchange, history));
    data.start();
    simulator.start();
  }

  private static void answer(HttpExchange exchange, SimulatedHistoryApi history) throws IOException {
    try (exchange) {
      Map<String, String> query = new HashMap<>();
      String raw = exchange.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String pair : raw.split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      SimulatedHistoryApi.Answer answer = history.get(exchange.getRequestURI().getPath(), query::get,
          name -> exchange.getRequestHeaders().getFirst(name));
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** A fake that accepts {@link #KEY}/{@link #SECRET} on every feed, one connection per key. */
  public static FakeAlpaca start() throws Exception {
    return start(settings(Set.of("*")), -1);
  }

  public static FakeAlpaca start(SimulatorSettings settings, int port) throws Exception {
    return new FakeAlpaca(settings, port, UUID.randomUUID().toString(), 0);
  }

  /** A fake at a known port and path, {@code ws://localhost:{port}/fake/{id}}, for the ITs. */
  public static FakeAlpaca start(SimulatorSettings settings, int port, String id) throws Exception {
    return new FakeAlpaca(settings, port, id, 0);
  }

  /** A fake whose REST history (Alpaca's market-data API shapes) listens on {@code dataPort}. */
  public static FakeAlpaca start(SimulatorSettings settings, int port, String id, int dataPort)
      throws Exception {
    return new FakeAlpaca(settings, port, id, dataPort);
  }

  /** The base of the fake's market-data REST API: {@code /v2/stocks/trades} and so on below it. */
  public URI dataUrl() {
    return URI.create("http://localhost:" + data.getAddress().getPort());
  }

  public static SimulatorSettings settings(Set<String> entitledFeeds) {
    return new SimulatorSettings(
        Credential.withPlainSecret(KEY, SECRET, entitledFeeds),
        SimulatorSettings.ALPACA_FEEDS,
        1,
        Duration.ofSeconds(10),
        20,
        Duration.ofSeconds(1));
  }

  /** The base URL the gateway appends {@code /v2/{feed}} or {@code /v1beta3/crypto/{loc}} to. */
  public URI baseUrl() {
    return URI.create("ws://localhost:" + server.getPort() + "/fake/" + id);
  }

  public int port() {
    return server.getPort();
  }

  /** The base URL as seen through a relay listening on {@code port} (see {@link TcpProxy}). */
  public URI baseUrlVia(int port) {
    return URI.create("ws://localhost:" + port + "/fake/" + id);
  }

  /**
   * Sends events to the sessions subscribed to them, encoded as Alpaca does for each session: every
   * stock type (statuses, LULDs, imbalances, corrections, cancel/errors) and, as a {@link
   * io.tickrelay.marketdata.PassThrough}, a type of Alpaca's the gateway does not model.
   */
  public void send(MarketEvent... events) {
    simulator.send(List.of(events));
  }

  /** One JSON frame exactly as given (malformed elements too) to every authenticated stock session. */
  public void sendRaw(String jsonFrame) {
    simulator.sendRaw(jsonFrame);
  }

  public AlpacaSimulator simulator() {
    return simulator;
  }

  @Override
  public void close() {
    simulator.stop();
    server.stop();
    data.stop(0);
    scheduler.shutdownNow();
    SIMULATORS.remove(id);
  }

  /** The fake's WebSocket face. */
  @ServerEndpoint(value = "/{id}/v2/{feed}", configurator = HandshakeCapture.class)
  public static class Endpoint {
    private AlpacaSimulator simulator;

    @OnOpen
    public void open(Session session, @PathParam("id") String id, @PathParam("feed") String feed) {
      simulator = SIMULATORS.get(id);
      if (simulator != null) {
        simulator.opened(session, feed);
      }
    }

    @OnMessage
    public void text(Session session, String text) {
      if (simulator != null) {
        simulator.text(session, text);
      }
    }

    @OnMessage
    public void binary(Session session, byte[] frame) {
      if (simulator != null) {
        simulator.binary(session, frame);
      }
    }

    @OnClose
    public void close(Session session) {
      if (simulator != null) {
        simulator.closed(session);
      }
    }
  }

  /** The fake's crypto face, {@code /v1beta3/crypto/{loc}}, the same simulator behind it. */
  @ServerEndpoint(value = "/{id}/v1beta3/crypto/{loc}", configurator = HandshakeCapture.class)
  public static class CryptoEndpoint {
    private AlpacaSimulator simulator;

    @OnOpen
    public void open(Session session, @PathParam("id") String id, @PathParam("loc") String loc) {
      simulator = SIMULATORS.get(id);
      if (simulator != null) {
        simulator.openedCrypto(session, loc);
      }
    }

    @OnMessage
    public void text(Session session, String text) {
      if (simulator != null) {
        simulator.text(session, text);
      }
    }

    @OnMessage
    public void binary(Session session, byte[] frame) {
      if (simulator != null) {
        simulator.binary(session, frame);
      }
    }

    @OnClose
    public void close(Session session) {
      if (simulator != null) {
        simulator.closed(session);
      }
    }
  }
}
