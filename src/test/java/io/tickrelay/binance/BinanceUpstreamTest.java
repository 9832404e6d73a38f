package io.tickrelay.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.UpstreamConnection;
import io.tickrelay.upstream.UpstreamListener;
import io.tickrelay.upstream.UpstreamSettings;
import io.tickrelay.upstream.UpstreamStateChanged;
import io.tickrelay.upstream.TyrusTransport;
import io.tickrelay.upstream.UpstreamStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Binance adapter in the shared upstream lifecycle, against the Binance simulator over real sockets. */
class BinanceUpstreamTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String STREAM = Streams.crypto("binance");

  private final ClientManager client = ClientManager.createClient();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final Recorder recorder = new Recorder();
  private FakeBinance fake;
  private UpstreamConnection connection;

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.stop();
    }
    if (fake != null) {
      fake.close();
    }
    tasks.close();
    client.shutdown();
  }

  static UpstreamSettings settings(URI base) {
    return new UpstreamSettings("binance-test", base, List.of(BinanceProtocol.FEED), "public", "",
        Duration.ofSeconds(5), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
        Duration.ofMillis(1500), Duration.ofMillis(1200), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ZERO, UpstreamSettings.SilenceCheck.OFF,
        Duration.ofMinutes(15), 3);
  }

  static BinanceProtocol protocol(Duration maxSessionAge) {
    return new BinanceProtocol(BinanceSymbols.defaults(), 3, 1024, maxSessionAge, Clock.systemUTC());
  }

  private static BinanceSimulatorSettings simulator() {
    return BinanceSimulatorSettings.realistic(Set.of("BTCUSDT", "ETHBTC"), 40)
        .withPing(Duration.ofMillis(400), Duration.ofSeconds(2));
  }

  private void connect(BinanceProtocol protocol) {
    connection = new UpstreamConnection(protocol, settings(fake.baseUrl()), client::connectToServer, tasks,
        recorder, Clock.systemUTC());
    connection.start();
  }

  private void demand(Interest added, Interest removed) {
    connection.demand(new DemandChanged(STREAM, added, removed));
  }

  @Test
  void subscribedTradesAndQuotesArriveNormalized() throws Exception {
    fake = FakeBinance.start(simulator());
    connect(protocol(Duration.ZERO));
    Await.until("live", WAIT, () -> connection.status().live());
    demand(Interest.of(Map.of(Channel.TRADES, List.of("BTC/USDT"), Channel.QUOTES, List.of("BTC/USDT"))),
        Interest.none());
    Await.until("a trade and a quote", WAIT,
        () -> recorder.first(CryptoTrade.class) != null && recorder.first(CryptoQuote.class) != null);
    CryptoTrade trade = recorder.first(CryptoTrade.class);
    assertEquals("BTC/USDT", trade.symbol());
    assertTrue(Set.of("B", "S").contains(trade.takerSide()));
    CryptoQuote quote = recorder.first(CryptoQuote.class);
    assertTrue(quote.bidPrice() < quote.askPrice());
    assertTrue(recorder.data.stream().allMatch(d -> d.stream().equals(STREAM)));
    assertEquals(List.of(Set.of("btcusdt@trade", "btcusdt@bookTicker")), fake.simulator().sessionStreams());
  }

  @Test
  void serverPingsAreAnsweredWithTheirPayloadOverTheSocket() throws Exception {
    fake = FakeBinance.start(simulator());
    connect(protocol(Duration.ZERO));
    Await.until("live", WAIT, () -> connection.status().live());
    Await.until("5 pongs", WAIT, () -> fake.simulator().pongsMatched() >= 5);
    assertEquals(0, fake.simulator().pongsUnmatched(), "no pong without its ping's payload");
    assertEquals(0, fake.simulator().pongTimeouts());
    Await.until("the gateway's own ping answered", WAIT, () -> connection.status().pingRoundTrip() != null);
    assertEquals(1, fake.simulator().connectionsOpened(), "the connection was never dropped");
  }

  @Test
  void aBurstOfThirtyChangesIsPacedAndNeverDisconnectedForRate() throws Exception {
    // Binance's own 20 s ping: its pong, the gateway's 1 s ping and 3 paced messages fit the 5 per
    // second (a 400 ms ping in the test simulator would add 2-3 pongs per second and rightly get
    // the connection closed)
    fake = FakeBinance.start(BinanceSimulatorSettings.realistic(Set.of("BTCUSDT"), 40));
    connect(protocol(Duration.ZERO));
    Await.until("live", WAIT, () -> connection.status().live());
    Set<String> held = new TreeSet<>();
    for (int i = 0; i < 30; i++) { // 30 changes at once: each odd one adds a symbol and drops the one before
      if (i % 2 == 0) {
        demand(Interest.of(Channel.TRADES, "S" + i + "/USDT"), Interest.none());
      } else {
        demand(Interest.of(Channel.TRADES, "S" + i + "/USDT"), Interest.of(Channel.TRADES, "S" + (i - 1) + "/USDT"));
        held.add("s" + i + "usdt@trade");
      }
    }
    Await.until("the simulator holding the final demand", Duration.ofSeconds(30),
        () -> fake.simulator().sessionStreams().size() == 1
            && new TreeSet<>(fake.simulator().sessionStreams().get(0)).equals(held));
    assertEquals(0, fake.simulator().rateDisconnects());
    assertEquals(1, fake.simulator().connectionsOpened());
    assertTrue(connection.status().live());
  }

  @ParameterizedTest
  @CsvSource({
    "429, Too Many Requests, connection attempts",
    "418, Teapot, banned this IP"
  })
  void aHandshakeRefusedWith429Or418BacksOffAsThrottled(int code, String phrase, String meaning)
      throws Exception {
    // Binance answers the upgrade with HTTP 429 past 300 connection attempts in 5 min, and 418
    // once it has banned an IP that went on regardless (§2.3)
    try (ServerSocket refusing = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        while (!refusing.isClosed()) {
          try (Socket socket = refusing.accept()) {
            socket.getInputStream().read(new byte[4096]);
            socket.getOutputStream().write(("HTTP/1.1 " + code + " " + phrase + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
          } catch (IOException closed) {
            return; // the test is over
          }
        }
      });
      server.setDaemon(true);
      server.start();
      connection = new UpstreamConnection(protocol(Duration.ZERO),
          settings(URI.create("ws://localhost:" + refusing.getLocalPort())), new TyrusTransport(), tasks,
          recorder, Clock.systemUTC());
      connection.start(); // TyrusTransport: it reports a refused upgrade with its HTTP status
      Await.until("a refused handshake", WAIT, () -> connection.status().lastError() != null);
      UpstreamStatus status = connection.status();
      assertEquals(code, status.lastError().code());
      assertTrue(status.lastError().meaning().contains(meaning), status.lastError().meaning());
      assertTrue(Duration.between(status.lastError().at(), status.nextAttemptAt()).toMillis() >= 1100,
          "at least the throttled floor (1200 ms), not the 50 ms backoff: " + status.nextAttemptAt());
    }
  }

  /** Records what the connection produces. */
  static final class Recorder implements UpstreamListener {
    final ConcurrentLinkedQueue<MarketDataReceived> data = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<UpstreamStateChanged> changes = new ConcurrentLinkedQueue<>();

    @Override
    public void stateChanged(UpstreamStateChanged change) {
      changes.add(change);
    }

    @Override
    public void received(MarketDataReceived received) {
      data.add(received);
    }

    <T extends MarketEvent> T first(Class<T> type) {
      for (MarketDataReceived received : data) {
        for (MarketEvent event : received.events()) {
          if (type.isInstance(event)) {
            return type.cast(event);
          }
        }
      }
      return null;
    }
  }
}
