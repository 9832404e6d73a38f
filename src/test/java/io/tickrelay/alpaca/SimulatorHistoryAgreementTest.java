package io.tickrelay.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tickrelay.backfill.Backfill;
import io.tickrelay.backfill.BackfillLimits;
import io.tickrelay.backfill.ChannelRecovery;
import io.tickrelay.backfill.HistoryHttp;
import io.tickrelay.backfill.MissedWindow;
import io.tickrelay.backfill.Recovered;
import io.tickrelay.backfill.RequestRate;
import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.simulator.SimulatedHistory;
import io.tickrelay.simulator.SimulatedHistoryApi;
import io.tickrelay.upstream.UpstreamSettings;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's REST history and the gateway's Alpaca history client agree over real HTTP: what
 * the simulated market recorded comes back whole, in time order, across pages, and the stock
 * history checks the APCA headers as Alpaca does.
 */
class SimulatorHistoryAgreementTest {

  static final Instant START = Instant.parse("2026-03-02T15:00:00Z");
  static final String KEY = "sim-key";
  static final String SECRET = "sim-secret";

  SimulatedHistory history = new SimulatedHistory(3000);
  HttpServer server;
  ExecutorService executor = Executors.newCachedThreadPool();
  AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serve() throws Exception {
    SimulatedHistoryApi api = new SimulatedHistoryApi(history, Credential.withPlainSecret(KEY, SECRET, Set.of("*")));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/simulator/data", exchange -> {
      try (exchange) {
        requests.incrementAndGet();
        Map<String, String> query = queryOf(exchange.getRequestURI());
        SimulatedHistoryApi.Answer answer = api.get(
            exchange.getRequestURI().getPath().substring("/simulator/data".length()), query::get,
            SimulatedHistoryApi.headersOf(exchange.getRequestHeaders()));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  static Map<String, String> queryOf(URI uri) {
    Map<String, String> query = new java.util.HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query;
  }

  Recovered fetch(MissedWindow window, String key, String secret) throws Exception {
    URI dataUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/simulator/data");
    HistoryHttp http = HistoryHttp.of("alpaca", executor, new RequestRate(200, Clock.systemUTC()));
    AlpacaHistorySource source = new AlpacaHistorySource(dataUrl, Set.of("us"), http,
        () -> new UpstreamSettings.Credentials(key, secret));
    return new Backfill(List.of(source), executor, Clock.systemUTC(), BackfillLimits.defaults())
        .fetch(window).get(30, TimeUnit.SECONDS);
  }

  /** 3000 trades of each of four symbols, interleaved in time as the simulator ticks them. */
  List<MarketEvent> tradeFourSymbols() {
    List<MarketEvent> recorded = new ArrayList<>();
    String[] symbols = {"MSFT", "AAPL", "SPY", "NVDA"};
    for (int tick = 0; tick < 3000; tick++) {
      List<MarketEvent> batch = new ArrayList<>();
      Instant t = START.plusMillis(tick * 250L);
      for (String symbol : symbols) {
        batch.add(new Trade(symbol, tick + 1, "V", 100 + tick / 100.0, 10, t, List.of("@"), "C"));
        batch.add(new Quote(symbol, "V", 99, 1, "V", 101, 1, t, List.of("R"), "C"));
      }
      history.record(batch);
      batch.stream().filter(e -> e instanceof Trade).forEach(recorded::add);
    }
    return recorded;
  }

  @Test
  void everyRecordedTradeComesBackOnceInTimeOrderAcrossPages() throws Exception {
    List<MarketEvent> recorded = tradeFourSymbols();

    Recovered recovered = fetch(new MissedWindow(Streams.STOCKS, "sip",
        Map.of(Channel.TRADES, Set.of("AAPL", "MSFT", "SPY", "NVDA")), START, START.plusSeconds(3600)), KEY, SECRET);

    assertEquals(ChannelRecovery.Outcome.COMPLETE, recovered.channels().get(Channel.TRADES).outcome());
    assertEquals(12_000, recovered.events().size());
    assertEquals(2, requests.get(), "12,000 trades are two pages of at most 10,000");
    List<MarketEvent> expected = new ArrayList<>(recorded);
    expected.sort(Comparator.comparing(MarketEvent::timestamp));
    assertEquals(Set.copyOf(expected), Set.copyOf(recovered.events()));
    for (int i = 1; i < recovered.events().size(); i++) {
      assertTrue(!recovered.events().get(i).timestamp().isBefore(recovered.events().get(i - 1).timestamp()));
    }
  }

  @Test
  void theWindowSelectsWhatWasMissed() throws Exception {
    tradeFourSymbols();

    Recovered recovered = fetch(new MissedWindow(Streams.STOCKS, "iex", Map.of(Channel.TRADES, Set.of("AAPL")),
        START.plusSeconds(10), START.plusSeconds(20)), KEY, SECRET);

    List<Long> ids = recovered.events().stream().map(e -> ((Trade) e).id()).toList();
    assertEquals(40, ids.size());
    assertEquals(41L, ids.get(0));
    assertEquals(80L, ids.get(39));
  }

  @Test
  void minuteBarsAndCryptoTradesToo() throws Exception {
    Instant barStart = START.minusSeconds(60);
    history.record(List.of(new Bar(Bar.Kind.MINUTE, "AAPL", 1, 2, 0.5, 1.5, 300, 3, 1.2, barStart),
        new Bar(Bar.Kind.DAILY, "AAPL", 1, 2, 0.5, 1.5, 300, 3, 1.2, barStart),
        new CryptoTrade("BTC/USD", 9, 65000.5, 0.0125, START.plusSeconds(1), "B")));

    Recovered bars = fetch(new MissedWindow(Streams.STOCKS, "sip", Map.of(Channel.BARS, Set.of("AAPL")),
        START, START.plusSeconds(60)), KEY, SECRET);
    Recovered crypto = fetch(new MissedWindow(Streams.crypto("us"), "us", Map.of(Channel.TRADES, Set.of("BTC/USD")),
        START, START.plusSeconds(60)), null, null);

    assertEquals(List.of(new Bar(Bar.Kind.MINUTE, "AAPL", 1, 2, 0.5, 1.5, 300, 3, 1.2, barStart)), bars.events());
    assertEquals(List.of(new CryptoTrade("BTC/USD", 9, 65000.5, 0.0125, START.plusSeconds(1), "B")), crypto.events());
  }

  @Test
  void theStockHistoryWantsTheAccountsKeys() throws Exception {
    tradeFourSymbols();
    MissedWindow window = new MissedWindow(Streams.STOCKS, "sip", Map.of(Channel.TRADES, Set.of("AAPL")),
        START, START.plusSeconds(60));

    ChannelRecovery wrong = fetch(window, KEY, "not-the-secret").channels().get(Channel.TRADES);
    ChannelRecovery none = fetch(window, null, null).channels().get(Channel.TRADES);

    assertEquals(ChannelRecovery.Outcome.FAILED, wrong.outcome());
    assertTrue(wrong.detail().contains("HTTP 403"), wrong.detail());
    assertTrue(none.detail().contains("HTTP 401"), none.detail());
  }
}
