package io.tickrelay.binance;

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
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.testing.FakeRest;
import io.tickrelay.testing.FakeRest.Reply;
import io.tickrelay.testing.SteppedClock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binance trades by trade id against an in-process fake of the spot REST API: a market with a
 * trade every 10 ms (ids 1..3000), served as {@code historicalTrades} and {@code aggTrades} are.
 */
class BinanceHistoryTest {

  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  FakeRest rest;
  SteppedClock clock = new SteppedClock(T0.plusSeconds(120));
  List<Duration> pauses = new CopyOnWriteArrayList<>();
  ExecutorService executor = Executors.newCachedThreadPool();

  static Instant timeOf(long id) {
    return T0.plusMillis(10 * id);
  }

  static String trade(long id) {
    return "{\"id\":" + id + ",\"price\":\"65000." + id + "\",\"qty\":\"0.00100000\",\"quoteQty\":\"65.0\",\"time\":"
        + timeOf(id).toEpochMilli() + ",\"isBuyerMaker\":" + (id % 2 == 0) + ",\"isBestMatch\":true}";
  }

  static Reply market(FakeRest.Request r) {
    if (r.path().equals("/api/v3/aggTrades")) {
      long start = Long.parseLong(r.query().get("startTime"));
      long first = Math.max(1, (start - T0.toEpochMilli() + 9) / 10);
      return Reply.json("[{\"a\":" + (first + 500) + ",\"p\":\"65000.0\",\"q\":\"0.001\",\"f\":" + first + ",\"l\":"
          + first + ",\"T\":" + timeOf(first).toEpochMilli() + ",\"m\":true,\"M\":true}]");
    }
    long from = Long.parseLong(r.query().get("fromId"));
    int limit = Integer.parseInt(r.query().get("limit"));
    StringBuilder page = new StringBuilder("[");
    for (long id = from; id < from + limit && id <= 3000; id++) {
      page.append(id == from ? "" : ",").append(trade(id));
    }
    return Reply.json(page.append(']').toString());
  }

  @BeforeEach
  void start() throws Exception {
    rest = new FakeRest();
  }

  @AfterEach
  void stop() {
    rest.close();
    executor.shutdownNow();
  }

  Recovered fetch(MissedWindow window) throws Exception {
    HistoryHttp http = new HistoryHttp("binance", HttpClient.newHttpClient(), new RequestRate(1200, clock), d -> {
      pauses.add(d);
      clock.advance(d);
    });
    BinanceHistorySource source = new BinanceHistorySource(rest.baseUrl(), BinanceSymbols.defaults(), http);
    return new Backfill(List.of(source), executor, clock, BackfillLimits.defaults()).fetch(window).get(20, TimeUnit.SECONDS);
  }

  static MissedWindow window(Instant from, Instant to, Map<String, Long> lastIds) {
    return new MissedWindow(Streams.crypto("binance"), "binance", Map.of(Channel.TRADES, Set.of("BTC/USDT")),
        from, to, lastIds);
  }

  @Test
  void pagesByTradeIdFromTheLastOneSeenUntilTheOutagesEnd() throws Exception {
    rest.respond(BinanceHistoryTest::market);

    Recovered recovered = fetch(window(timeOf(100), timeOf(2600), Map.of("BTC/USDT", 99L)));

    List<Long> ids = recovered.events().stream().map(e -> ((CryptoTrade) e).id()).toList();
    assertEquals(2500, ids.size());
    assertEquals(100L, ids.get(0));
    assertEquals(2599L, ids.get(ids.size() - 1));
    assertEquals(new CryptoTrade("BTC/USDT", 100, 65000.100, 0.001, timeOf(100), "S"), recovered.events().get(0));
    assertEquals("B", ((CryptoTrade) recovered.events().get(1)).takerSide());
    List<FakeRest.Request> requests = rest.requests();
    assertEquals(List.of("100", "1100", "2100"), requests.stream().map(r -> r.query().get("fromId")).toList());
    assertEquals(Map.of("symbol", "BTCUSDT", "fromId", "100", "limit", "1000"), requests.get(0).query());
    assertEquals("/api/v3/historicalTrades", requests.get(0).path());
    assertFalse(requests.get(0).headers().containsKey("x-mbx-apikey"), "no API key needed or sent");
    assertEquals(ChannelRecovery.Outcome.COMPLETE, recovered.channels().get(Channel.TRADES).outcome());
  }

  @Test
  void withoutATradeIdTheFirstAggregateTradeOfTheWindowGivesTheStart() throws Exception {
    rest.respond(BinanceHistoryTest::market);

    Recovered recovered = fetch(window(timeOf(500), timeOf(700), Map.of()));

    FakeRest.Request anchor = rest.requests().get(0);
    assertEquals("/api/v3/aggTrades", anchor.path());
    assertEquals(String.valueOf(timeOf(500).toEpochMilli()), anchor.query().get("startTime"));
    assertEquals("500", rest.requests().get(1).query().get("fromId"));
    assertEquals(200, recovered.events().size());
  }

  @Test
  void a429WaitsItsRetryAfterAndA418BanIsNotRetried() throws Exception {
    rest.respond(r -> rest.requests().size() == 1
        ? new Reply(429, "{\"code\":-1003,\"msg\":\"Too many requests.\"}", Map.of("Retry-After", "3"))
        : market(r));

    Recovered throttled = fetch(window(timeOf(100), timeOf(200), Map.of("BTC/USDT", 99L)));

    assertEquals(List.of(Duration.ofSeconds(3)), pauses);
    assertEquals(100, throttled.events().size());

    rest.respond(r -> new Reply(418, "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned.\"}",
        Map.of("Retry-After", "120")));
    int before = rest.requests().size();
    ChannelRecovery banned = fetch(window(timeOf(100), timeOf(200), Map.of("BTC/USDT", 99L)))
        .channels().get(Channel.TRADES);

    assertEquals(ChannelRecovery.Outcome.FAILED, banned.outcome());
    assertTrue(banned.detail().contains("HTTP 418"), banned.detail());
    assertEquals(before + 1, rest.requests().size());
  }
}
