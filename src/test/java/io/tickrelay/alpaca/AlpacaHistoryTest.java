package io.tickrelay.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.backfill.Backfill;
import io.tickrelay.backfill.BackfillLimits;
import io.tickrelay.backfill.ChannelRecovery;
import io.tickrelay.backfill.HistoryHttp;
import io.tickrelay.backfill.MissedWindow;
import io.tickrelay.backfill.Recovered;
import io.tickrelay.backfill.RequestRate;
import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.FakeRest;
import io.tickrelay.testing.FakeRest.Reply;
import io.tickrelay.testing.SteppedClock;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.UpstreamSettings;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Alpaca history client against an in-process REST fake serving Alpaca's documented shapes:
 * paging, the query it sends, Retry-After, retries, deadline, limits. Waits run on a stepped clock,
 * so a 30 s Retry-After takes no time.
 */
class AlpacaHistoryTest {

  static final Instant FROM = Instant.parse("2026-03-02T15:00:00Z");
  static final Instant TO = Instant.parse("2026-03-02T15:00:20Z");
  static final String KEY = "history-key";
  static final String SECRET = "history-secret-never-logged";

  FakeRest rest;
  SteppedClock clock;
  List<Duration> pauses;
  ExecutorService executor;

  @BeforeEach
  void start() throws Exception {
    rest = new FakeRest();
    clock = new SteppedClock(FROM.plusSeconds(60));
    pauses = new CopyOnWriteArrayList<>();
    executor = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() {
    rest.close();
    executor.shutdownNow();
  }

  Backfill backfill(BackfillLimits limits, int requestsPerMinute) {
    HistoryHttp http = new HistoryHttp("alpaca", HttpClient.newHttpClient(),
        new RequestRate(requestsPerMinute, clock), d -> {
          pauses.add(d);
          clock.advance(d);
        });
    AlpacaHistorySource source = new AlpacaHistorySource(rest.baseUrl(), Set.of("us"), http,
        () -> new UpstreamSettings.Credentials(KEY, SECRET));
    return new Backfill(List.of(source), executor, clock, limits);
  }

  static BackfillLimits limits(int maxPages, int maxEvents, int retries) {
    return new BackfillLimits(Duration.ofSeconds(30), maxPages, maxEvents, Duration.ofSeconds(5),
        retries, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4)));
  }

  static Recovered await(Backfill backfill, MissedWindow window) throws Exception {
    return backfill.fetch(window).get(20, TimeUnit.SECONDS);
  }

  static MissedWindow stocks(Map<Channel, Set<String>> symbols) {
    return new MissedWindow(Streams.STOCKS, "iex", symbols, FROM, TO);
  }

  static String trade(long id, String exchange, double price, Instant t) {
    return "{\"t\":\"" + t + "\",\"x\":\"" + exchange + "\",\"p\":" + price + ",\"s\":100,\"c\":[\"@\"],\"i\":" + id + ",\"z\":\"C\"}";
  }

  static String tradesPage(Map<String, List<String>> trades, String nextToken) {
    StringBuilder json = new StringBuilder("{\"trades\":{");
    String sep = "";
    for (Map.Entry<String, List<String>> e : trades.entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":[").append(String.join(",", e.getValue())).append(']');
      sep = ",";
    }
    return json.append("},\"next_page_token\":").append(nextToken == null ? "null" : "\"" + nextToken + "\"").append('}').toString();
  }

  @Test
  void pagesThroughNextPageTokensAndReturnsEveryTradeInTimeOrder() throws Exception {
    // Alpaca sorts by symbol, then time: AAPL fills the first page, MSFT comes on the second
    rest.respond(r -> Reply.json(r.query().containsKey("page_token")
        ? tradesPage(Map.of("AAPL", List.of(trade(3, "V", 228.52, FROM.plusSeconds(15))),
            "MSFT", List.of(trade(7, "Q", 415.2, FROM.plusSeconds(2)), trade(8, "Q", 415.3, FROM.plusSeconds(12)))), null)
        : tradesPage(Map.of("AAPL", List.of(trade(1, "V", 228.5, FROM.plusSeconds(1)),
            trade(2, "V", 228.51, FROM.plusSeconds(5)))), "page-2")));

    Recovered recovered = await(backfill(limits(10, 1000, 0), 200),
        stocks(Map.of(Channel.TRADES, Set.of("MSFT", "AAPL"))));

    assertEquals(List.of(1L, 7L, 2L, 8L, 3L), recovered.events().stream().map(e -> ((Trade) e).id()).toList());
    assertEquals(new ChannelRecovery(Channel.TRADES, ChannelRecovery.Outcome.COMPLETE, Set.of("AAPL", "MSFT"), 5, ""),
        recovered.channels().get(Channel.TRADES));
    assertTrue(recovered.complete());
    List<FakeRest.Request> requests = rest.requests();
    assertEquals(2, requests.size());
    FakeRest.Request first = requests.get(0);
    assertEquals("/v2/stocks/trades", first.path());
    assertEquals(Map.of("symbols", "AAPL,MSFT", "start", FROM.toString(), "end", TO.toString(),
        "limit", "10000", "sort", "asc", "feed", "iex"), first.query());
    assertEquals(KEY, first.headers().get("apca-api-key-id"));
    assertEquals(SECRET, first.headers().get("apca-api-secret-key"));
    assertEquals("page-2", requests.get(1).query().get("page_token"));
    assertEquals(first.query().get("start"), requests.get(1).query().get("start"));
  }

  @Test
  void eventsOutsideTheWindowAreDroppedForAlpacasInclusiveEnd() throws Exception {
    rest.respond(r -> Reply.json(tradesPage(Map.of("AAPL", List.of(trade(1, "V", 1, FROM),
        trade(2, "V", 1, TO.minusNanos(1)), trade(3, "V", 1, TO))), null)));

    Recovered recovered = await(backfill(limits(10, 1000, 0), 200), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    assertEquals(List.of(1L, 2L), recovered.events().stream().map(e -> ((Trade) e).id()).toList());
  }

  @Test
  void minuteBarsAskForTheBarsThatClosedDuringTheOutage() throws Exception {
    Instant closedDuring = FROM.minusSeconds(60).plusSeconds(60); // the bar of 15:00 closes at 15:01
    rest.respond(r -> Reply.json("{\"bars\":{\"AAPL\":[{\"t\":\"" + FROM.minusSeconds(60) + "\",\"o\":1,\"h\":2,"
        + "\"l\":0.5,\"c\":1.5,\"v\":300,\"n\":3,\"vw\":1.2}]},\"next_page_token\":null}"));

    Recovered recovered = await(backfill(limits(10, 1000, 0), 200),
        new MissedWindow(Streams.STOCKS, "sip", Map.of(Channel.BARS, Set.of("AAPL")), FROM, FROM.plusSeconds(90)));

    FakeRest.Request request = rest.requests().get(0);
    assertEquals("/v2/stocks/bars", request.path());
    assertEquals("1Min", request.query().get("timeframe"));
    assertEquals("sip", request.query().get("feed"));
    assertEquals(FROM.minusSeconds(60).toString(), request.query().get("start"));
    assertEquals(FROM.plusSeconds(30).toString(), request.query().get("end"));
    assertEquals(Bar.Kind.MINUTE, ((Bar) recovered.events().get(0)).kind());
    assertEquals(closedDuring.minusSeconds(60), recovered.events().get(0).timestamp());
  }

  @Test
  void a429WaitsExactlyTheRetryAfterItAsksFor() throws Exception {
    rest.respond(r -> rest.requests().size() == 1
        ? new Reply(429, "{\"message\":\"too many requests.\"}", Map.of("Retry-After", "7"))
        : Reply.json(tradesPage(Map.of("AAPL", List.of(trade(1, "V", 1, FROM))), null)));

    Recovered recovered = await(backfill(limits(10, 1000, 3), 200), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    assertEquals(List.of(Duration.ofSeconds(7)), pauses);
    assertEquals(ChannelRecovery.Outcome.COMPLETE, recovered.channels().get(Channel.TRADES).outcome());
    assertEquals(1, recovered.events().size());
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenReportedWithoutSecrets() throws Exception {
    rest.respond(r -> r.query().containsKey("page_token")
        ? Reply.status(503, "{\"message\":\"service unavailable\"}")
        : Reply.json(tradesPage(Map.of("AAPL", List.of(trade(1, "V", 1, FROM))), "next")));

    Recovered recovered = await(backfill(limits(10, 1000, 2), 200), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    ChannelRecovery trades = recovered.channels().get(Channel.TRADES);
    assertEquals(ChannelRecovery.Outcome.FAILED, trades.outcome());
    assertEquals(1, trades.events(), "the page fetched before the failure is kept");
    assertEquals(1, recovered.events().size());
    assertEquals(4, rest.requests().size(), "one page, then the failing one and its two retries");
    assertEquals(2, pauses.size());
    assertTrue(pauses.get(0).compareTo(Duration.ofMillis(250)) >= 0 && pauses.get(0).compareTo(Duration.ofMillis(500)) <= 0,
        "first backoff within [initial/2, initial]: " + pauses);
    assertTrue(pauses.get(1).compareTo(Duration.ofMillis(500)) >= 0 && pauses.get(1).compareTo(Duration.ofSeconds(1)) <= 0,
        "second backoff doubled: " + pauses);
    assertTrue(trades.detail().contains("HTTP 503"), trades.detail());
    assertTrue(trades.detail().contains("/v2/stocks/trades"), trades.detail());
    assertFalse(trades.detail().contains(SECRET) || trades.detail().contains(KEY) || trades.detail().contains("page_token"),
        trades.detail());
  }

  @Test
  void aRefusalIsNotRetried() throws Exception {
    rest.respond(r -> Reply.status(403, "{\"message\":\"forbidden\"}"));

    Recovered recovered = await(backfill(limits(10, 1000, 3), 200), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    assertEquals(ChannelRecovery.Outcome.FAILED, recovered.channels().get(Channel.TRADES).outcome());
    assertTrue(recovered.channels().get(Channel.TRADES).detail().contains("HTTP 403 {\"message\":\"forbidden\"}"));
    assertEquals(1, rest.requests().size());
    assertEquals(List.of(), pauses);
  }

  @Test
  void aRetryAfterBeyondTheDeadlineEndsTheFetchAtOnce() throws Exception {
    rest.respond(r -> new Reply(429, "", Map.of("Retry-After", "120")));

    Recovered recovered = await(backfill(limits(10, 1000, 3), 200), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    assertEquals(ChannelRecovery.Outcome.DEADLINE, recovered.channels().get(Channel.TRADES).outcome());
    assertEquals(List.of(), pauses, "no 120 s wait for a 30 s deadline");
    assertEquals(1, rest.requests().size());
  }

  @Test
  void aProviderThatDoesNotAnswerCostsNoMoreThanTheDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    rest.respond(r -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.json(tradesPage(Map.of(), null));
    });
    BackfillLimits limits = new BackfillLimits(Duration.ofMillis(400), 10, 1000, Duration.ofSeconds(5), 3,
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(200)));
    HistoryHttp http = HistoryHttp.of("alpaca", executor, new RequestRate(200, java.time.Clock.systemUTC()));
    Backfill backfill = new Backfill(List.of(new AlpacaHistorySource(rest.baseUrl(), Set.of(), http,
        () -> new UpstreamSettings.Credentials(KEY, SECRET))), executor, java.time.Clock.systemUTC(), limits);
    try {
      long started = System.nanoTime();
      var pending = backfill.fetch(stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));
      assertFalse(pending.isDone(), "the caller's thread is not blocked by the request");
      Recovered recovered = pending.get(5, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertEquals(ChannelRecovery.Outcome.DEADLINE, recovered.channels().get(Channel.TRADES).outcome());
      assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
    } finally {
      release.countDown();
    }
  }

  @Test
  void thePageLimitStopsAnEndlessPagingAndSaysSo() throws Exception {
    rest.respond(r -> Reply.json(tradesPage(Map.of("AAPL",
        List.of(trade(rest.requests().size(), "V", 1, FROM.plusMillis(rest.requests().size())))), "more")));

    Recovered recovered = await(backfill(limits(3, 1000, 0), 200), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    assertEquals(3, rest.requests().size());
    assertEquals(ChannelRecovery.Outcome.LIMIT_REACHED, recovered.channels().get(Channel.TRADES).outcome());
    assertEquals(3, recovered.events().size());
    assertFalse(recovered.complete());
  }

  @Test
  void theEventLimitIsSharedByTheChannels() throws Exception {
    rest.respond(r -> Reply.json(r.path().endsWith("/trades")
        ? tradesPage(Map.of("AAPL", List.of(trade(1, "V", 1, FROM), trade(2, "V", 1, FROM.plusSeconds(1)),
            trade(3, "V", 1, FROM.plusSeconds(2)))), null)
        : "{\"bars\":{\"AAPL\":[{\"t\":\"" + FROM.minusSeconds(60) + "\",\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":1,\"n\":1,\"vw\":1}]},\"next_page_token\":null}"));

    Recovered recovered = await(backfill(limits(10, 2, 0), 200),
        stocks(Map.of(Channel.TRADES, Set.of("AAPL"), Channel.BARS, Set.of("AAPL"))));

    assertEquals(2, recovered.events().size());
    assertEquals(ChannelRecovery.Outcome.LIMIT_REACHED, recovered.channels().get(Channel.TRADES).outcome());
    assertEquals(ChannelRecovery.Outcome.LIMIT_REACHED, recovered.channels().get(Channel.BARS).outcome());
  }

  @Test
  void theRateLimitSpacesRequests() throws Exception {
    rest.respond(r -> Reply.json(r.query().containsKey("page_token")
        ? tradesPage(Map.of(), null) : tradesPage(Map.of(), "p2")));

    // 6 a minute: a burst of one, then one every 10 s
    await(backfill(limits(10, 1000, 0), 6), stocks(Map.of(Channel.TRADES, Set.of("AAPL"))));

    assertEquals(2, rest.requests().size());
    assertEquals(List.of(Duration.ofSeconds(10)), pauses);
  }

  @Test
  void quotesCannotBeReplayedAndCryptoHasItsOwnPath() throws Exception {
    rest.respond(r -> Reply.json("{\"trades\":{\"BTC/USD\":[{\"t\":\"" + FROM.plusSeconds(3)
        + "\",\"p\":29687.22,\"s\":0.0015,\"tks\":\"S\",\"i\":32410311}]},\"next_page_token\":null}"));

    Recovered recovered = await(backfill(limits(10, 1000, 0), 200), new MissedWindow(Streams.crypto("us"), "us",
        Map.of(Channel.TRADES, Set.of("BTC/USD"), Channel.QUOTES, Set.of("BTC/USD")), FROM, TO));

    assertEquals(ChannelRecovery.Outcome.UNSUPPORTED, recovered.channels().get(Channel.QUOTES).outcome());
    assertEquals(ChannelRecovery.Outcome.COMPLETE, recovered.channels().get(Channel.TRADES).outcome());
    FakeRest.Request request = rest.requests().get(0);
    assertEquals("/v1beta3/crypto/us/trades", request.path());
    assertEquals("BTC/USD", request.query().get("symbols"));
    assertFalse(request.query().containsKey("feed"));
    MarketEvent event = recovered.events().get(0);
    assertEquals(new CryptoTrade("BTC/USD", 32410311, 29687.22, 0.0015, FROM.plusSeconds(3), "S"), event);
  }

  @Test
  void aStreamWithoutHistoryIsUnsupportedWithoutARequest() throws Exception {
    Recovered recovered = await(backfill(limits(10, 1000, 0), 200), new MissedWindow(Streams.crypto("binance"),
        "binance", Map.of(Channel.TRADES, Set.of("BTCUSDT")), FROM, TO));

    assertEquals(ChannelRecovery.Outcome.UNSUPPORTED, recovered.channels().get(Channel.TRADES).outcome());
    assertEquals(0, rest.requests().size());
  }
}
