package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.tyrus.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared lifecycle over a protocol that is not Alpaca's, as Binance-like adapters use it:
 * live as soon as the socket is open (no conversation), one subscribe frame per symbol with an
 * id its ack echoes, control frames paced, a refusal naming its request by id. Against a tiny
 * venue on a free port that speaks {@code sub:<id>:<symbol>} / {@code ack:<id>} / {@code
 * trade:<symbol>:<n>}.
 */
class NeutralLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration PACE = Duration.ofMillis(100);
  /** What the venue received, with when; static because Tyrus instantiates endpoints by class. */
  private static final List<Instant> ARRIVALS = new CopyOnWriteArrayList<>();
  private static final List<String> FRAMES = new CopyOnWriteArrayList<>();

  private final ExecutorTasks tasks = new ExecutorTasks();
  private final TyrusTransport transport = new TyrusTransport();
  private final List<Trade> trades = new CopyOnWriteArrayList<>();
  private final AtomicInteger settled = new AtomicInteger();
  private Server server;
  private UpstreamConnection connection;

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.stop();
    }
    tasks.close();
    transport.close();
    if (server != null) {
      server.stop();
    }
    ARRIVALS.clear();
    FRAMES.clear();
  }

  @Test
  void liveAtOnceSubscribesPacedAndMatchesAcksById() throws Exception {
    server = new Server("localhost", -1, "/venue", Map.of(), Venue.class);
    server.start();
    transport.open();
    URI base = URI.create("ws://localhost:" + server.getPort() + "/venue");
    UpstreamSettings settings = UpstreamConnectionTest.settings(base, List.of("spot"), "unused");
    connection = new UpstreamConnection(new TinyProtocol(), settings, transport, tasks, new UpstreamListener() {
      @Override
      public void stateChanged(UpstreamStateChanged change) {}

      @Override
      public void received(MarketDataReceived data) {
        data.events().forEach(e -> trades.add((Trade) e));
      }

      @Override
      public void settled() {
        settled.incrementAndGet();
      }
    }, Clock.systemUTC());
    connection.demand(new DemandChanged("tiny", Interest.of(Channel.TRADES, "A", "B", "C", "D", "E"), Interest.none()));
    connection.start();

    Await.until("live", WAIT, () -> connection.status().live());
    assertEquals("tiny", connection.status().stream());
    assertEquals("tiny-venue", connection.status().provider());
    Await.until("trades of all five", WAIT, () -> trades.stream().map(Trade::symbol).distinct().count() == 5);
    Await.until("settled once every ack came back", WAIT, () -> settled.get() == 1);
    List<Instant> arrivals = new ArrayList<>(ARRIVALS);
    assertEquals(5, arrivals.size());
    for (int i = 1; i < arrivals.size(); i++) {
      Duration span = Duration.between(arrivals.get(0), arrivals.get(i));
      assertTrue(span.compareTo(PACE.multipliedBy(i).minusMillis(40)) >= 0,
          i + 1 + " control frames within " + span + ": faster than one per " + PACE);
    }

    // the venue refuses "X" by the request's id: the connection stays live, the refusal is on record
    connection.demand(new DemandChanged("tiny", Interest.of(Channel.TRADES, "X"), Interest.none()));
    Await.until("the refusal", WAIT, () -> connection.status().lastError() != null);
    assertEquals(7, connection.status().lastError().code());
    assertTrue(connection.status().live());
    assertEquals(1, settled.get(), "settled is said once per session");
  }

  /** A Binance-like protocol in a few lines: no conversation, ids on requests, a pace. */
  static final class TinyProtocol implements UpstreamProtocol {
    private final AtomicLong ids = new AtomicLong();

    @Override
    public String provider() {
      return "tiny-venue";
    }

    @Override
    public String stream() {
      return "tiny";
    }

    @Override
    public Target target(URI baseUrl, String feed, Interest demand) {
      return Target.of(URI.create(baseUrl + "/" + feed));
    }

    @Override
    public Conversation conversation(UpstreamSettings.Credentials credentials) {
      return new Conversation() {
        @Override
        public Step opened() {
          return Step.goLive();
        }

        @Override
        public Step progressed(Inbound.AuthProgress progress) {
          return Step.waiting();
        }
      };
    }

    @Override
    public List<Inbound> decode(String frame) throws UnreadableFrame {
      String[] parts = frame.split(":");
      return switch (parts[0]) {
        case "ack" -> List.of(new Inbound.Ack(Long.parseLong(parts[1]), null));
        case "err" -> List.of(new Inbound.ProviderError(Integer.parseInt(parts[2]), "refused", Long.parseLong(parts[1])));
        case "trade" -> List.of(new Inbound.Data(new Trade(parts[1], Long.parseLong(parts[2]), "V", 1.0, 1,
            Instant.now(), List.of(), "")));
        default -> throw new UnreadableFrame("unknown frame " + parts[0]);
      };
    }

    @Override
    public List<SubscriptionRequest> requests(Interest added, Interest removed) {
      List<SubscriptionRequest> out = new ArrayList<>();
      for (String symbol : added.symbols(Channel.TRADES)) {
        long id = ids.incrementAndGet();
        out.add(new SubscriptionRequest(Frame.text("sub:" + id + ":" + symbol), id, Interest.of(Channel.TRADES, symbol)));
      }
      return out;
    }

    @Override
    public ErrorStrategies.ErrorStrategy classify(int code) {
      return ErrorStrategies.row(code, FailureReaction.REJECT_REQUEST, "the venue refused a stream", "none");
    }

    @Override
    public Duration controlPace() {
      return PACE;
    }

    @Override
    public KeepaliveMode keepalive() {
      return KeepaliveMode.ANSWER_SERVER_PINGS;
    }
  }

  /** The venue: acks every subscription by id (refuses X), then sends one trade for it. */
  @ServerEndpoint("/spot")
  public static class Venue {
    @OnMessage
    public void text(Session session, String frame) throws IOException {
      ARRIVALS.add(Instant.now());
      FRAMES.add(frame);
      String[] parts = frame.split(":");
      if (parts[2].equals("X")) {
        session.getBasicRemote().sendText("err:" + parts[1] + ":7");
        return;
      }
      session.getBasicRemote().sendText("ack:" + parts[1]);
      session.getBasicRemote().sendText("trade:" + parts[2] + ":1");
    }
  }
}
