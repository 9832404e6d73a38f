package io.tickrelay.distribution;

import io.tickrelay.delivery.ControlRate;
import io.tickrelay.marketdata.Streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Interest;
import io.tickrelay.testing.WsProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and malformed frames, text and binary, each answered with Alpaca's error, and the hub stays ready while a well-behaved client keeps
 * getting its data and the demand upstream never sees the garbage.
 */
class MalformedFramesTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String[] SHAPES = {
    "{\"action\":", "[1,2,3]", "{\"action\":\"dance\"}", "null", "\"auth\"", "{}",
    "{\"action\":\"subscribe\",\"trades\":\"AAPL\"}", "{\"action\":\"subscribe\",\"trades\":[1]}",
    "{\"action\":\"subscribe\",\"trades\":[\"not a symbol\"]}", "{\"action\":\"auth\",\"key\":1}",
    "{\"action\":\"subscribe\",\"orderbooks\":[\"AAPL\"]}", "{\"action\":\"x-options\",\"bogus\":true}",
    "{\"action\":\"x-resume\",\"epoch\":\"e\",\"seq\":-1}", "{\"action\":\"x-options\",\"maxPerSecond\":\"many\"}",
    "\u0000\u0001\u0002", "{\"action\":\"subscribe\",\"trades\":[" + "[".repeat(500) + "]}",
  };

  @Test
  void thousandsOfBadFramesLeaveTheGatewayReadyAndOthersServed() throws Exception {
    HubSettings base = HubServer.settings();
    // the flood guard has its own test; here every frame should reach the parser
    HubSettings lenient = new HubSettings(base.credentials(), base.entitlements(), base.authTimeout(),
        base.maxClients(), base.outbox(), base.slowCloseGrace(), base.journalSize(),
        new ControlRate.Limits(1e6, 1_000_000, 1_000_000), base.maxMessageBytes(), base.fanoutQueue(), base.batchWindow(), base.directWrites());
    try (HubServer server = new HubServer(lenient);
        WsProbe good = WsProbe.connect(server.uri("iex"));
        WsProbe authed = WsProbe.connect(server.uri("iex"));
        WsProbe anonymous = WsProbe.connect(server.uri("sip"))) {
      good.send("{\"action\":\"auth\",\"key\":\"client\",\"secret\":\"client-secret\"}");
      good.awaitText("authenticated", WAIT);
      good.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      good.awaitText("subscription", WAIT);
      authed.send("{\"action\":\"auth\",\"key\":\"client\",\"secret\":\"client-secret\"}");
      authed.awaitText("authenticated", WAIT);
      int demandBefore = server.demand.size();

      Random random = new Random(4);
      int sent = 0;
      for (int i = 0; i < 3000; i++) {
        WsProbe target = i % 2 == 0 ? authed : anonymous;
        if (!target.isOpen()) {
          continue;
        }
        try {
          switch (i % 4) {
            case 0 -> target.send(SHAPES[random.nextInt(SHAPES.length)]);
            case 1 -> target.send(randomBytes(random, 1 + random.nextInt(200)));
            case 2 -> target.send(new String(randomBytes(random, random.nextInt(100)), StandardCharsets.ISO_8859_1));
            default -> target.send(msgpackLie(random));
          }
          sent++;
        } catch (java.io.IOException closedForFlooding) {
          // a flooder may be closed mid-loop: that is the flood guard working
        }
        if (i == 1500) { // the data path is unaffected mid-storm
          server.hub().publish(Streams.STOCKS, List.of(ClientHubTest.trade("AAPL", 1, 1)));
          good.awaitText("\"S\":\"AAPL\"", WAIT);
        }
      }
      assertEquals(3000, sent, "every frame went out and no bad client was closed");
      server.hub().publish(Streams.STOCKS, List.of(ClientHubTest.trade("AAPL", 2, 2)));
      assertTrue(good.awaitText("\"S\":\"AAPL\"", WAIT).contains("\"i\":2"));
      good.send("{\"action\":\"subscribe\",\"quotes\":[\"MSFT\"]}");
      assertTrue(good.awaitText("subscription", WAIT).contains("\"quotes\":[\"MSFT\"]"));
      assertTrue(server.demand.stream().skip(demandBefore)
          .allMatch(d -> d.added().equals(Interest.of(io.tickrelay.marketdata.Channel.QUOTES, "MSFT"))),
          "garbage never reached the upstream: " + server.demand.subList(demandBefore, server.demand.size()));

      try (WsProbe fresh = WsProbe.connect(server.uri("iex"))) { // still accepting and serving
        fresh.send("{\"action\":\"auth\",\"key\":\"client\",\"secret\":\"client-secret\"}");
        fresh.awaitText("authenticated", WAIT);
      }
      // connected, authenticated, then one answer per bad frame: none is silently swallowed
      io.tickrelay.testing.Await.until("an answer to every bad frame", WAIT,
          () -> authed.received().size() >= 2 + 1500);
      List<String> answers = authed.received();
      assertTrue(answers.stream().anyMatch(a -> a.contains("\"code\":400,\"msg\":\"invalid syntax\"")), "400s");
      assertTrue(answers.stream().allMatch(a -> a.startsWith("[{\"T\":")), "every answer in Alpaca's shape");
      System.out.printf("malformed frames: %d sent, %d answers to the authenticated sender%n",
          sent, answers.size());
      assertEquals(0, server.hub().slowCutOffs());
    }
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** msgpack headers that claim far more than the frame holds, or nest absurdly deep. */
  private static byte[] msgpackLie(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
      case 1 -> new byte[] {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xa1, 'a'};
      default -> {
        byte[] deep = new byte[300];
        java.util.Arrays.fill(deep, (byte) 0x91); // fixarray of one, nested 300 deep
        yield deep;
      }
    };
  }
}
