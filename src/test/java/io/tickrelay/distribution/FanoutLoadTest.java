package io.tickrelay.distribution;

import io.tickrelay.marketdata.Streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.StalledReader;
import io.tickrelay.testing.Await;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 500 clients with 10 symbols each over real sockets, and one client that stops reading: it is
 * cut off with {@code 407 slow client} while every other client gets every trade, and their
 * delivery latency with the stalled client present is compared with a baseline without it.
 */
class FanoutLoadTest {

  private static final int CLIENTS = 500;
  private static final int SYMBOLS_PER_CLIENT = 10;
  private static final int SYMBOLS = 1000;
  private static final int ROUNDS_PER_PHASE = 40;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern ID = Pattern.compile("\"i\":(\\d+)");

  private final AtomicLongArray publishedAt = new AtomicLongArray(1000);
  private final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();

  @Test
  void aStalledClientIsCutOffWith407AndTheOthersSeeNoAddedDelay() throws Exception {
    HubSettings base = HubServer.settings();
    HubSettings settings = new HubSettings(base.credentials(), base.entitlements(),
        base.authTimeout(), 2000, new ClientOutbox.Limits(2000, Duration.ofSeconds(30), 64 * 1024),
        Duration.ofSeconds(20), base.journalSize(), base.controlRate(), base.maxMessageBytes(), base.fanoutQueue(), base.batchWindow(), base.directWrites());
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    HttpClient http = HttpClient.newHttpClient();
    try (HubServer server = new HubServer(settings)) {
      List<Client> clients = connect(http, server);
      AtomicInteger round = new AtomicInteger();

      runRounds(server, pacer, round, ROUNDS_PER_PHASE);
      awaitAll(clients, round.get());
      long[] baseline = drainLatencies();

      try (StalledReader stalled = new StalledReader(
          server.port(), server.path("iex"), HubServer.KEY, HubServer.SECRET)) {
        stalled.sendText("{\"action\":\"subscribe\",\"trades\":[\"*\"]}");
        Await.until("the stalled client to subscribe", WAIT, () -> server.hub().count() == CLIENTS + 1
            && server.demand.stream().anyMatch(d -> d.added().symbols(io.tickrelay.marketdata.Channel.TRADES).contains("*")));
        int stallStart = round.get();
        // keep publishing until the stalled client is cut off, then a phase more
        while (server.hub().slowCutOffs() == 0 && round.get() - stallStart < 3 * ROUNDS_PER_PHASE) {
          runRounds(server, pacer, round, 5);
        }
        assertEquals(1, server.hub().slowCutOffs(), "the stalled client, and only it, was cut off");
        List<StalledReader.Frame> piledUp = stalled.readAll(Duration.ofSeconds(5));
        StalledReader.Frame last = piledUp.get(piledUp.size() - 1);
        StalledReader.Frame beforeLast = piledUp.get(piledUp.size() - 2);
        assertEquals(0x8, last.opcode(), "closed");
        assertEquals(1008, last.closeCode());
        assertEquals("[{\"T\":\"error\",\"code\":407,\"msg\":\"slow client\"}]", beforeLast.text());
        int cutAt = round.get() - stallStart;
        runRounds(server, pacer, round, ROUNDS_PER_PHASE - Math.min(cutAt, ROUNDS_PER_PHASE) + 5);
        awaitAll(clients, round.get());
        long[] withStall = drainLatencies();
        System.out.printf(
            "fan-out to %d clients x %d symbols: latency p50/p99/max baseline %.2f/%.2f/%.2f ms,"
                + " with a stalled client %.2f/%.2f/%.2f ms; stalled client cut off after %d rounds,"
                + " %d frames piled up for it%n",
            CLIENTS, SYMBOLS_PER_CLIENT, ms(baseline, 0.5), ms(baseline, 0.99), ms(baseline, 1),
            ms(withStall, 0.5), ms(withStall, 0.99), ms(withStall, 1), cutAt, piledUp.size());
        // generous: a shared 2-core machine is noisy; a blocking fan-out would add seconds
        assertTrue(ms(withStall, 0.99) <= Math.max(5 * ms(baseline, 0.99), ms(baseline, 0.99) + 500),
            "p99 with the stalled client " + ms(withStall, 0.99) + " ms vs " + ms(baseline, 0.99));
      }
      for (Client client : clients) {
        assertEquals(round.get() * SYMBOLS_PER_CLIENT, client.trades.get(), "every trade, client " + client.index);
      }
      assertEquals(CLIENTS, server.hub().count(), "no healthy client was cut off");
    } finally {
      pacer.shutdownNow();
    }
  }

  private List<Client> connect(HttpClient http, HubServer server) throws Exception {
    List<Client> clients = new ArrayList<>();
    List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Client client = new Client(i);
      clients.add(client);
      opening.add(http.newWebSocketBuilder()
          .header("APCA-API-KEY-ID", HubServer.KEY)
          .header("APCA-API-SECRET-KEY", HubServer.SECRET)
          .buildAsync(server.uri("iex"), client)
          .thenCompose(ws -> ws.sendText(client.subscribe(), true)));
    }
    CompletableFuture.allOf(opening.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    Await.until("every client subscribed", WAIT,
        () -> clients.stream().allMatch(c -> c.subscribed.getCount() == 0));
    return clients;
  }

  /** Publishes {@code rounds} rounds, one every 25 ms, each one trade for every symbol. */
  private void runRounds(HubServer server, ScheduledExecutorService pacer, AtomicInteger round, int rounds)
      throws Exception {
    CountDownLatch done = new CountDownLatch(rounds);
    Runnable publishOne = () -> {
      if (done.getCount() == 0) {
        return;
      }
      int r = round.incrementAndGet();
      List<MarketEvent> trades = new ArrayList<>(SYMBOLS);
      for (int s = 0; s < SYMBOLS; s++) {
        trades.add(new Trade(symbol(s), (long) r * 10_000 + s, "V", 100 + s, 1,
            Instant.now(), List.of("@"), "C"));
      }
      publishedAt.set(r, System.nanoTime());
      server.hub().publish(Streams.STOCKS, trades);
      done.countDown();
    };
    var task = pacer.scheduleAtFixedRate(publishOne, 0, 25, TimeUnit.MILLISECONDS);
    try {
      assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "publishing finished");
    } finally {
      task.cancel(false);
    }
  }

  private static void awaitAll(List<Client> clients, int rounds) {
    Await.until("every client to get round " + rounds, WAIT,
        () -> clients.stream().allMatch(c -> c.trades.get() >= (long) rounds * SYMBOLS_PER_CLIENT));
  }

  private long[] drainLatencies() {
    List<Long> all = new ArrayList<>();
    long[] entry;
    while ((entry = latencies.poll()) != null) {
      all.add(entry[0]);
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  private static double ms(long[] sortedNanos, double quantile) {
    int at = (int) Math.min(sortedNanos.length - 1, Math.floor(quantile * sortedNanos.length));
    return sortedNanos[at] / 1e6;
  }

  private static String symbol(int s) {
    return "S" + s;
  }

  /** One client: counts trades and records, per frame, how long after its round's publication it came. */
  private final class Client implements WebSocket.Listener {
    final int index;
    final AtomicLong trades = new AtomicLong();
    final CountDownLatch subscribed = new CountDownLatch(1);
    private final StringBuilder partial = new StringBuilder();

    Client(int index) {
      this.index = index;
    }

    String subscribe() {
      StringBuilder symbols = new StringBuilder();
      for (int k = 0; k < SYMBOLS_PER_CLIENT; k++) {
        symbols.append(k == 0 ? "" : ",").append('"')
            .append(symbol((index * SYMBOLS_PER_CLIENT + k) % SYMBOLS)).append('"');
      }
      return "{\"action\":\"subscribe\",\"trades\":[" + symbols + "]}";
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        long now = System.nanoTime();
        if (frame.contains("\"T\":\"subscription\"")) {
          subscribed.countDown();
        }
        Matcher m = ID.matcher(frame);
        int count = 0;
        int firstRound = -1;
        while (m.find()) {
          count++;
          if (firstRound < 0) {
            firstRound = (int) (Long.parseLong(m.group(1)) / 10_000);
          }
        }
        if (count > 0) {
          latencies.add(new long[] {now - publishedAt.get(firstRound)});
          trades.addAndGet(count);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
