package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.TcpProxy;
import io.tickrelay.testing.WsProbe;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upstream lifecycle end to end: the real WAR on Open Liberty, its upstream the fake Alpaca
 * behind a TCP relay that drops, freezes and refuses connections, and real clients that must keep
 * receiving through all of it. Thresholds are shortened through config (arquillian.xml).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UpstreamLifecycleIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);
  private static final String CLIENT_AUTH =
      "{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}";
  private static final String[] SYMBOLS = {
    "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "GOOG", "META", "TSLA", "AVGO", "AMD", "NFLX", "INTC",
    "CSCO", "ADBE", "QQQ", "COST", "SPY", "IWM", "DIA", "JPM", "BAC", "WMT", "XOM", "JNJ", "V", "MA",
    "KO", "DIS", "BRK.B", "F"
  };

  private static FakeAlpaca upstream;
  private static TcpProxy relay;
  private final List<WsProbe> clients = new ArrayList<>();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war();
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = FakeAlpaca.start(FakeAlpaca.settings(Set.of("*")), -1, "it");
    // the gateway is configured for the reserved port: the relay takes it, the fake sits behind
    relay = new TcpProxy(Integer.getInteger("tickrelay.it.upstream.port"),
        new InetSocketAddress("localhost", upstream.port()));
    Await.until("the gateway's upstream through the relay", Duration.ofSeconds(60),
        () -> upstream.simulator().sessions() == 1 && upstream.simulator().peakConnections(FakeAlpaca.KEY) == 1);
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    relay.close();
    upstream.close();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (WsProbe client : clients) {
      client.close();
    }
    upstream.simulator().faults().clear();
    relay.refuseWith(0);
  }

  private WsProbe client(Interest wants) throws Exception {
    WsProbe client = WsProbe.connect(URI.create("ws://localhost:" + PORT + "/v2/iex"));
    clients.add(client);
    client.send(CLIENT_AUTH);
    client.awaitText("authenticated", WAIT);
    StringBuilder request = new StringBuilder("{\"action\":\"subscribe\"");
    for (Channel channel : wants.channels()) {
      request.append(",\"").append(channel.wireName()).append("\":[\"")
          .append(String.join("\",\"", wants.symbols(channel))).append("\"]");
    }
    client.send(request.append('}').toString());
    client.awaitText("subscription", WAIT);
    return client;
  }

  private static void everyoneReceives(List<WsProbe> probes, String when) throws Exception {
    for (WsProbe probe : probes) {
      probe.clear();
    }
    for (WsProbe probe : probes) {
      String frame = probe.awaitText("\"T\":\"", WAIT);
      assertTrue(frame.startsWith("[{\"T\":\"t\"") || frame.startsWith("[{\"T\":\"q\""), when + ": " + frame);
    }
  }

  /** The server's messages.log and its rolled-over predecessors (Liberty's log directory unless the build names one). */
  private static String serverLog() {
    StringBuilder all = new StringBuilder();
    Path logs = Path.of(System.getProperty("tickrelay.it.server.logs",
        "target/liberty-usr/servers/" + System.getProperty("tickrelay.it.server", "tickrelay-it") + "/logs"));
    try (var files = Files.list(logs)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("messages")).toList()) {
        all.append(Files.readString(file));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return all.toString();
  }

  private static String ready() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  void fiftyClientsSurviveTwentyAbruptUpstreamDropsWithOneConnectionAndTheirSubscriptions() throws Exception {
    Interest union = Interest.none();
    for (int i = 0; i < 50; i++) {
      Interest wants = Interest.of(Channel.TRADES, SYMBOLS[i % SYMBOLS.length])
          .plus(Interest.of(Channel.QUOTES, SYMBOLS[(i * 7 + 3) % SYMBOLS.length]));
      union = union.plus(wants);
      client(wants);
    }
    Interest expected = union;
    Await.until("the upstream to hold the union", WAIT,
        () -> upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(expected));
    everyoneReceives(clients, "before the drops");
    for (int drop = 1; drop <= 20; drop++) {
      int connectionsBefore = relay.accepted();
      relay.dropAbruptly();
      Await.until("reconnect after drop " + drop, WAIT, () -> relay.accepted() > connectionsBefore);
      Await.until("the union restored after drop " + drop, WAIT,
          () -> upstream.simulator().subscriptionsOf(FakeAlpaca.KEY).equals(expected));
      everyoneReceives(clients, "after drop " + drop);
      assertEquals(1, upstream.simulator().sessions(), "exactly one live upstream connection");
    }
    assertEquals(1, upstream.simulator().peakConnections(FakeAlpaca.KEY), "never two at once");
    assertTrue(ready().startsWith("200"), ready());
  }

  @Test
  void insufficientSubscriptionOnSipLandsOnIexThenTheReprobeReturnsToSip() throws Exception {
    List<WsProbe> probes = List.of(client(Interest.of(Channel.TRADES, "AAPL")), client(Interest.of(Channel.QUOTES, "MSFT")));
    upstream.simulator().faults().denyFeeds(Set.of("sip"));
    relay.dropAbruptly();
    Await.until("the gateway on iex", WAIT, () -> {
      try {
        String body = ready();
        return body.startsWith("200") && body.contains("\"alpaca-stocks.feed\":\"iex\"");
      } catch (Exception e) {
        return false;
      }
    });
    everyoneReceives(probes, "on iex");
    upstream.simulator().faults().denyFeeds(Set.of());
    Await.until("the re-probe back on sip", WAIT, () -> {
      try {
        String body = ready();
        return body.startsWith("200") && body.contains("\"alpaca-stocks.feed\":\"sip\"");
      } catch (Exception e) {
        return false;
      }
    });
    everyoneReceives(probes, "back on sip");
    Interest both = Interest.of(Channel.TRADES, "AAPL").plus(Interest.of(Channel.QUOTES, "MSFT"));
    assertEquals(both, upstream.simulator().subscriptionsOf(FakeAlpaca.KEY));
  }

  @Test
  void aFrozenUpstreamIsDetectedAndHealedWithinTheConfiguredWindow() throws Exception {
    List<WsProbe> probes = List.of(client(Interest.of(Channel.TRADES, "NVDA")));
    everyoneReceives(probes, "before the stall");
    Instant frozen = Instant.now();
    relay.freeze();
    everyoneReceives(probes, "after the stall");
    Duration healed = Duration.between(frozen, Instant.now());
    // ping every 1 s, pong deadline 2 s, backoff from 0.2 s: detected and healed well inside 6 s
    assertTrue(healed.compareTo(Duration.ofSeconds(6)) < 0, "healed after " + healed);
    Await.until("the stall logged with its cause", WAIT, () -> serverLog().contains("no pong within PT2S"));
  }

  @Test
  void throttlingAndAHeldSlotMakeTheGatewayWaitNotHammer() throws Exception {
    relay.refuseWith(503);
    relay.dropAbruptly();
    Await.until("readiness DOWN while refused", WAIT, () -> {
      try {
        return ready().startsWith("503");
      } catch (Exception e) {
        return false;
      }
    });
    // someone else takes the account's slot on sip meanwhile
    try (WsProbe holder = WsProbe.connect(URI.create(upstream.baseUrl() + "/v2/sip"))) {
      holder.send("{\"action\":\"auth\",\"key\":\"" + FakeAlpaca.KEY + "\",\"secret\":\"" + FakeAlpaca.SECRET + "\"}");
      holder.awaitText("authenticated", WAIT);
      int refusalsBefore = upstream.simulator().connectionLimitRefusals();
      relay.refuseWith(0);
      Await.until("a 406", WAIT, () -> upstream.simulator().connectionLimitRefusals() > refusalsBefore);
      Instant refused = Instant.now();
      int attemptsAfter406 = relay.accepted();
      holder.close();
      Await.until("live again once the slot is free", WAIT, () -> {
        try {
          return ready().startsWith("200");
        } catch (Exception e) {
          return false;
        }
      });
      Duration waited = Duration.between(refused, Instant.now());
      assertTrue(waited.compareTo(Duration.ofMillis(1500)) >= 0, "waited out the 406 (PT2S): " + waited);
      assertTrue(relay.accepted() - attemptsAfter406 <= 1, "one attempt after the wait, no hammering");
    }
  }
}
