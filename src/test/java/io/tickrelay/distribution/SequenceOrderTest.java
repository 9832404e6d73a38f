package io.tickrelay.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import io.tickrelay.testing.Await;
import io.tickrelay.testing.WsProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client's x-seq values only rise (issue 13): a last value older than what the client was sent
 * since comes as a snapshot without x-seq instead of carrying a lower number.
 */
class SequenceOrderTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + HubServer.KEY + "\",\"secret\":\"" + HubServer.SECRET + "\"}";
  private static final Instant AT = Instant.parse("2026-11-20T15:30:02Z");
  private static final Pattern SEQ = Pattern.compile("\"x-seq\":(\\d+)");

  private HubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new HubServer(HubServer.settings());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Trade trade(String symbol, long id) {
    return new Trade(symbol, id, "V", 1, 1, AT, List.of("@"), "C");
  }

  @Test
  void aLastValueOlderThanWhatTheClientHadComesWithoutXSeq() throws Exception {
    long before = server.hub().head(Streams.STOCKS);
    server.hub().publish(Streams.STOCKS, List.of(trade("AAPL", 1))); // AAPL's last value, low seq
    Await.until("journaled", WAIT, () -> server.hub().head(Streams.STOCKS) > before);
    try (WsProbe client = WsProbe.connect(server.uri("iex"))) {
      client.send(AUTH);
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"x-options\",\"sequence\":true,\"lastValue\":true}");
      client.awaitText("x-options", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"MSFT\"]}");
      client.awaitText("subscription", WAIT);
      server.hub().publish(Streams.STOCKS, List.of(trade("MSFT", 1), trade("MSFT", 2)));
      client.awaitText("\"S\":\"MSFT\",\"i\":2", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      client.awaitText("\"S\":\"AAPL\",\"i\":1", WAIT);
      server.hub().publish(Streams.STOCKS, List.of(trade("AAPL", 2)));
      client.awaitText("\"S\":\"AAPL\",\"i\":2", WAIT);
      String all = String.join("", client.received());
      long previous = 0;
      Matcher m = SEQ.matcher(all);
      while (m.find()) {
        long seq = Long.parseLong(m.group(1));
        assertTrue(seq > previous, "x-seq " + seq + " after " + previous + ": " + all);
        previous = seq;
      }
      assertTrue(all.contains("\"S\":\"AAPL\",\"i\":1,") && !all.matches(".*\"S\":\"AAPL\",\"i\":1,[^}]*x-seq.*"),
          "the last value arrives, without x-seq: " + all);
    }
  }
}
