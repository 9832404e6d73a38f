package io.tickrelay.binance;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.glassfish.tyrus.server.Server;

/**
 * The gateway's own {@link BinanceSimulator} served by a standalone Tyrus server on a free port,
 * so component tests talk to the same protocol behaviour the WAR embeds, over real sockets.
 */
public final class FakeBinance implements AutoCloseable {

  /** Tyrus instantiates endpoints by class; this maps each fake's id to its simulator. */
  private static final Map<String, BinanceSimulator> SIMULATORS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final Server server;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final BinanceSimulator simulator;

  private FakeBinance(BinanceSimulatorSettings settings) throws Exception {
    simulator = new BinanceSimulator(settings, scheduler, Clock.systemUTC(), 7);
    SIMULATORS.put(id, simulator);
    // port -1 = ephemeral; 0 would mean Tyrus's default 8025 (toolchain.md §6.9)
    server = new Server("localhost", -1, "/fake", Map.of(), Endpoint.class);
    server.start();
    simulator.start();
  }

  public static FakeBinance start(BinanceSimulatorSettings settings) throws Exception {
    return new FakeBinance(settings);
  }

  /** The base URL; {@code /stream} is appended, as on {@code wss://stream.binance.com:9443}. */
  public URI baseUrl() {
    return URI.create("ws://localhost:" + server.getPort() + "/fake/" + id);
  }

  public URI streamUrl(String query) {
    return URI.create(baseUrl() + "/stream" + (query == null ? "" : "?" + query));
  }

  public BinanceSimulator simulator() {
    return simulator;
  }

  @Override
  public void close() {
    simulator.stop();
    server.stop();
    scheduler.shutdownNow();
    SIMULATORS.remove(id);
  }

  /** The fake's WebSocket face. */
  @ServerEndpoint("/{id}/stream")
  public static class Endpoint {
    private BinanceSimulator simulator;

    @OnOpen
    public void open(Session session, @PathParam("id") String id) {
      simulator = SIMULATORS.get(id);
      if (simulator != null) {
        simulator.opened(session, BinanceSimulatorEndpoint.streamsOf(session));
      }
    }

    @OnMessage
    public void text(Session session, String text) {
      if (simulator != null) {
        simulator.text(session, text);
      }
    }

    @OnMessage
    public void pong(Session session, PongMessage pong) {
      if (simulator != null) {
        simulator.pong(session, pong.getApplicationData());
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
