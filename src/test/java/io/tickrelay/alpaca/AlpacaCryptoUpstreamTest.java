package io.tickrelay.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.ExecutorTasks;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.UpstreamConnection;
import io.tickrelay.upstream.UpstreamListener;
import io.tickrelay.upstream.UpstreamSettings;
import io.tickrelay.upstream.UpstreamStateChanged;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Alpaca crypto upstream against the simulator's {@code /v1beta3/crypto/{loc}} on a free port,
 * over real sockets: the stock conversation, crypto channels, crypto records.
 */
class AlpacaCryptoUpstreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String US = Streams.crypto("us");

  private final ClientManager client = ClientManager.createClient();
  private final ExecutorTasks tasks = new ExecutorTasks();
  private final List<UpstreamConnection> connections = new ArrayList<>();
  private FakeAlpaca fake;

  @BeforeEach
  void start() throws Exception {
    // a plan with stock iex only: crypto needs no stock entitlement
    fake = FakeAlpaca.start(FakeAlpaca.settings(Set.of("iex")), -1);
  }

  @AfterEach
  void stop() {
    connections.forEach(UpstreamConnection::stop);
    fake.close();
    tasks.close();
    client.shutdown();
  }

  private static UpstreamSettings settings(String name, URI base, List<String> feeds) {
    return new UpstreamSettings(name, base, feeds, FakeAlpaca.KEY, FakeAlpaca.SECRET,
        Duration.ofSeconds(5), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
        Duration.ofMillis(1500), Duration.ofMillis(1200), Duration.ofMillis(200),
        Duration.ofMillis(300), Duration.ZERO, UpstreamSettings.SilenceCheck.OFF,
        Duration.ofMinutes(15), 3);
  }

  private UpstreamConnection connect(AlpacaProtocol protocol, List<String> feeds, Recorder recorder) {
    UpstreamConnection connection =
        new UpstreamConnection(protocol, settings("test-" + protocol.stream(), fake.baseUrl(), feeds),
            client::connectToServer, tasks, recorder, Clock.systemUTC());
    connections.add(connection);
    connection.start();
    return connection;
  }

  @Test
  void subscribedCryptoUpstreamReceivesBtcTradesAndQuotesWithFractionalSizes() {
    Recorder recorder = new Recorder();
    UpstreamConnection crypto = connect(AlpacaProtocol.crypto("us"), List.of("us"), recorder);
    Await.until("live", WAIT, () -> crypto.status().live());
    assertEquals("us", crypto.status().feed());

    Interest demand = Interest.of(Channel.TRADES, "BTC/USD").plus(Interest.of(Channel.QUOTES, "BTC/USD"));
    crypto.demand(new DemandChanged(US, demand, Interest.none()));

    Await.until("a fractional BTC/USD trade", WAIT,
        () -> recorder.events(CryptoTrade.class).stream()
            .anyMatch(t -> t.symbol().equals("BTC/USD") && t.size() != Math.rint(t.size())));
    Await.until("a BTC/USD quote", WAIT,
        () -> recorder.events(CryptoQuote.class).stream().anyMatch(q -> q.symbol().equals("BTC/USD")));
    for (CryptoTrade trade : recorder.events(CryptoTrade.class)) {
      assertEquals("BTC/USD", trade.symbol());
      assertTrue(trade.size() > 0 && trade.price() > 0, trade.toString());
      assertTrue(trade.id() > (1L << 53), "int64 id kept: " + trade.id());
    }
    for (CryptoQuote quote : recorder.events(CryptoQuote.class)) {
      assertTrue(quote.bidPrice() < quote.askPrice() && quote.bidSize() > 0, quote.toString());
    }
    MarketDataReceived first = recorder.data.peek();
    assertEquals(US, first.stream());
    assertEquals("us", first.feed());
    assertEquals(demand, fake.simulator().subscriptionsOf(FakeAlpaca.KEY), "crypto channel names on the wire");
  }

  @Test
  void orderBooksArriveAsAResetThenDeltas() {
    Recorder recorder = new Recorder();
    UpstreamConnection crypto = connect(AlpacaProtocol.crypto("us"), List.of("us"), recorder);
    crypto.demand(new DemandChanged(US, Interest.of(Channel.ORDERBOOKS, "ETH/USD"), Interest.none()));
    Await.until("three ETH/USD books", WAIT, () -> recorder.events(OrderBook.class).size() >= 3);
    List<OrderBook> books = recorder.events(OrderBook.class);
    assertTrue(books.get(0).reset() && books.get(0).bids().size() == 5, books.get(0).toString());
    assertTrue(books.subList(1, books.size()).stream().noneMatch(OrderBook::reset));
  }

  @Test
  void aStockOnlyChannelIsDroppedAndTheRestFlows() {
    Recorder recorder = new Recorder();
    UpstreamConnection crypto = connect(AlpacaProtocol.crypto("us"), List.of("us"), recorder);
    Await.until("live", WAIT, () -> crypto.status().live());
    crypto.demand(new DemandChanged(US,
        Interest.of(Channel.STATUSES, "SOL/USD").plus(Interest.of(Channel.TRADES, "SOL/USD")),
        Interest.none()));
    Await.until("SOL/USD trades", WAIT,
        () -> recorder.events(CryptoTrade.class).stream().anyMatch(t -> t.symbol().equals("SOL/USD")));
    assertTrue(crypto.status().live(), "410 does not cost the connection");
    assertEquals(Interest.of(Channel.TRADES, "SOL/USD"), fake.simulator().subscriptionsOf(FakeAlpaca.KEY));
  }

  @Test
  void stockAndCryptoStreamsOfOneKeyAreSeparateEndpoints() {
    Recorder stockRecorder = new Recorder();
    Recorder cryptoRecorder = new Recorder();
    UpstreamConnection stocks = connect(AlpacaProtocol.stocks(), List.of("iex"), stockRecorder);
    UpstreamConnection crypto = connect(AlpacaProtocol.crypto("us"), List.of("us"), cryptoRecorder);
    Await.until("both live", WAIT, () -> stocks.status().live() && crypto.status().live());
    stocks.demand(new DemandChanged(Streams.STOCKS, Interest.of(Channel.TRADES, "AAPL"), Interest.none()));
    crypto.demand(new DemandChanged(US, Interest.of(Channel.TRADES, "BTC/USD"), Interest.none()));
    Await.until("AAPL on stocks", WAIT, () -> !stockRecorder.events(io.tickrelay.marketdata.Trade.class).isEmpty());
    Await.until("BTC/USD on crypto", WAIT, () -> !cryptoRecorder.events(CryptoTrade.class).isEmpty());
    assertTrue(stockRecorder.data.stream().allMatch(d -> d.stream().equals(Streams.STOCKS)));
    assertTrue(cryptoRecorder.data.stream().allMatch(d -> d.stream().equals(US)));
    assertTrue(stockRecorder.events(CryptoTrade.class).isEmpty(), "no crypto records on the stock stream");
  }

  /** Records what a connection produces. */
  private static final class Recorder implements UpstreamListener {
    final List<UpstreamStateChanged> changes = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<MarketDataReceived> data = new ConcurrentLinkedQueue<>();

    @Override
    public void stateChanged(UpstreamStateChanged change) {
      changes.add(change);
    }

    @Override
    public void received(MarketDataReceived received) {
      data.add(received);
    }

    <T extends MarketEvent> List<T> events(Class<T> type) {
      List<T> events = new ArrayList<>();
      for (MarketDataReceived received : data) {
        for (MarketEvent event : received.events()) {
          if (type.isInstance(event)) {
            events.add(type.cast(event));
          }
        }
      }
      return events;
    }
  }
}
