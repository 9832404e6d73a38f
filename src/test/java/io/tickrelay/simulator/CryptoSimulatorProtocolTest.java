package io.tickrelay.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import io.tickrelay.protocol.AssetClass;
import io.tickrelay.protocol.ServerMessage;
import io.tickrelay.protocol.WireFormat;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The simulator's crypto locations over a real socket, as an Alpaca crypto client sees them
 * (upstream-protocols.md §1.1, §1.4, §1.5).
 */
class CryptoSimulatorProtocolTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String AUTH =
      "{\"action\":\"auth\",\"key\":\"" + FakeAlpaca.KEY + "\",\"secret\":\"" + FakeAlpaca.SECRET + "\"}";

  private FakeAlpaca fake;

  @BeforeEach
  void start() throws Exception {
    // entitled to stock iex only: crypto needs no plan
    fake = FakeAlpaca.start(FakeAlpaca.settings(java.util.Set.of("iex")), -1);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private URI location(String loc) {
    return URI.create(fake.baseUrl() + "/v1beta3/crypto/" + loc);
  }

  private static List<MarketEvent> events(String frame) throws Exception {
    List<MarketEvent> events = new ArrayList<>();
    for (ServerMessage message :
        WireFormat.JSON.codec().decodeServer(frame.getBytes(StandardCharsets.UTF_8), AssetClass.CRYPTO)) {
      if (message instanceof ServerMessage.Data data) {
        events.add(data.event());
      }
    }
    return events;
  }

  private WsProbe authenticated(String loc) throws Exception {
    WsProbe client = WsProbe.connect(location(loc));
    assertEquals("[{\"T\":\"success\",\"msg\":\"connected\"}]", client.awaitText("success", WAIT));
    client.send(AUTH);
    assertEquals("[{\"T\":\"success\",\"msg\":\"authenticated\"}]", client.awaitText("success", WAIT));
    return client;
  }

  @Test
  void cryptoAckThenCryptoTradesWithFractionalSizesAndInt64Ids() throws Exception {
    try (WsProbe client = authenticated("us")) {
      client.send("{\"action\":\"subscribe\",\"trades\":[\"BTC/USD\"],\"quotes\":[\"ETH/USD\"]}");
      assertEquals(
          "[{\"T\":\"subscription\",\"trades\":[\"BTC/USD\"],\"quotes\":[\"ETH/USD\"],"
              + "\"orderbooks\":[],\"bars\":[],\"updatedBars\":[],\"dailyBars\":[]}]",
          client.awaitText("subscription", WAIT));
      boolean fractional = false;
      for (int i = 0; i < 10; i++) {
        for (MarketEvent event : events(client.awaitText("\"T\":\"t\"", WAIT))) {
          if (!(event instanceof CryptoTrade trade)) {
            assertEquals("ETH/USD", event.symbol(), "only ETH/USD quotes were asked for");
            continue;
          }
          assertEquals("BTC/USD", trade.symbol(), "only BTC/USD trades were asked for");
          assertTrue(trade.id() > (1L << 53), "ids above 2^53 like Alpaca's: " + trade.id());
          assertTrue(trade.takerSide().equals("B") || trade.takerSide().equals("S"));
          fractional |= trade.size() != Math.rint(trade.size());
        }
      }
      assertTrue(fractional, "crypto sizes are fractional");
      String quote = client.awaitText("\"T\":\"q\"", WAIT);
      CryptoQuote q =
          (CryptoQuote) events(quote).stream().filter(CryptoQuote.class::isInstance).findFirst().orElseThrow();
      assertEquals("ETH/USD", q.symbol());
      assertTrue(q.bidPrice() < q.askPrice(), quote);
      client.send("{\"action\":\"unsubscribe\",\"trades\":[\"BTC/USD\"]}");
      assertTrue(client.awaitText("subscription", WAIT).startsWith("[{\"T\":\"subscription\",\"trades\":[],"));
    }
  }

  @Test
  void stockOnlyChannelsAre410AndTheSessionStays() throws Exception {
    try (WsProbe client = authenticated("us")) {
      for (String channel : List.of("statuses", "lulds", "imbalances")) {
        client.send("{\"action\":\"subscribe\",\"" + channel + "\":[\"BTC/USD\"]}");
        assertEquals(
            "[{\"T\":\"error\",\"code\":410,\"msg\":\"invalid subscribe action for this feed\"}]",
            client.awaitText("error", WAIT), channel);
      }
      client.send("{\"action\":\"subscribe\",\"bars\":[\"*\"]}");
      assertTrue(client.awaitText("subscription", WAIT).contains("\"bars\":[\"*\"]"));
      assertTrue(client.isOpen());
    }
  }

  @Test
  void orderBooksOnStockFeedsAre410() throws Exception {
    try (WsProbe client = WsProbe.connect(URI.create(fake.baseUrl() + "/v2/iex"))) {
      client.send(AUTH);
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"orderbooks\":[\"AAPL\"]}");
      assertTrue(client.awaitText("error", WAIT).contains("\"code\":410"));
    }
  }

  @Test
  void orderBookStartsWithAResetAndItsDeltasKeepItInLineWithTheQuotes() throws Exception {
    try (WsProbe client = authenticated("eu-1")) {
      client.send("{\"action\":\"subscribe\",\"orderbooks\":[\"SOL/USD\"],\"quotes\":[\"SOL/USD\"]}");
      client.awaitText("subscription", WAIT);
      NavigableMap<Double, Double> bids = new TreeMap<>(Collections.reverseOrder());
      NavigableMap<Double, Double> asks = new TreeMap<>();
      int books = 0;
      int checkedQuotes = 0;
      while (checkedQuotes < 15) {
        for (MarketEvent event : events(client.awaitText("\"T\":\"", WAIT))) {
          if (event instanceof OrderBook book) {
            assertEquals(books == 0, book.reset(), "a reset first, deltas after it (book " + books + ")");
            books++;
            apply(bids, book.bids());
            apply(asks, book.asks());
            assertEquals(5, bids.size());
            assertEquals(5, asks.size());
          } else if (event instanceof CryptoQuote quote && books > 0) {
            assertEquals(quote.bidPrice(), bids.firstKey(), "top bid of the maintained book");
            assertEquals(quote.bidSize(), bids.firstEntry().getValue());
            assertEquals(quote.askPrice(), asks.firstKey(), "top ask of the maintained book");
            checkedQuotes++;
          }
        }
      }
      client.send("{\"action\":\"unsubscribe\",\"orderbooks\":[\"SOL/USD\"]}");
      client.awaitText("subscription", WAIT);
      client.send("{\"action\":\"subscribe\",\"orderbooks\":[\"SOL/USD\"]}");
      client.awaitText("\"orderbooks\":[\"SOL/USD\"]", WAIT);
      OrderBook again = null;
      while (again == null) {
        for (MarketEvent event : events(client.awaitText("\"T\":\"o\"", WAIT))) {
          again = again == null ? (OrderBook) event : again;
        }
      }
      assertTrue(again.reset(), "subscribing again starts over with the whole book");
    }
  }

  private static void apply(NavigableMap<Double, Double> side, List<OrderBook.Level> levels) {
    for (OrderBook.Level level : levels) {
      if (level.size() == 0) {
        assertTrue(side.remove(level.price()) != null, "removed level " + level.price() + " existed");
      } else {
        side.put(level.price(), level.size());
      }
    }
  }

  @Test
  void msgpackCryptoTradesHaveTFirstFloatSizesAndTimestampExtension() throws Exception {
    try (WsProbe client =
        WsProbe.connect(location("us"), Map.of("Content-Type", "application/msgpack"))) {
      client.awaitBinary(b -> true, WAIT); // connected
      var auth = MessagePack.newDefaultBufferPacker();
      auth.packMapHeader(3).packString("action").packString("auth")
          .packString("key").packString(FakeAlpaca.KEY)
          .packString("secret").packString(FakeAlpaca.SECRET);
      client.send(auth.toByteArray());
      client.awaitBinary(b -> new String(b, StandardCharsets.UTF_8).contains("authenticated"), WAIT);
      var subscribe = MessagePack.newDefaultBufferPacker();
      subscribe.packMapHeader(2).packString("action").packString("subscribe")
          .packString("trades").packArrayHeader(1).packString("BTC/USD");
      client.send(subscribe.toByteArray());
      byte[] ack = client.awaitBinary(b -> new String(b, StandardCharsets.UTF_8).contains("subscription"), WAIT);
      assertEquals(
          List.of(new ServerMessage.SubscriptionState(
              io.tickrelay.marketdata.Interest.of(Map.of(io.tickrelay.marketdata.Channel.TRADES, List.of("BTC/USD"))))),
          WireFormat.MSGPACK.codec().decodeServer(ack, AssetClass.CRYPTO));
      assertFalse(new String(ack, StandardCharsets.UTF_8).contains("corrections"));
      byte[] trades = client.awaitBinary(b -> new String(b, StandardCharsets.UTF_8).contains("BTC/USD"), WAIT);
      try (MessageUnpacker in = MessagePack.newDefaultUnpacker(trades)) {
        assertTrue(in.unpackArrayHeader() >= 1);
        int fields = in.unpackMapHeader();
        assertEquals("T", in.unpackString(), "T must be the first key");
        assertEquals("t", in.unpackString());
        boolean sawSize = false;
        boolean sawTime = false;
        for (int i = 1; i < fields; i++) {
          String key = in.unpackString();
          if (key.equals("s")) {
            assertEquals(MessageFormat.FLOAT64, in.getNextFormat());
            in.skipValue();
            sawSize = true;
          } else if (key.equals("t")) {
            assertEquals(ValueType.EXTENSION, in.getNextFormat().getValueType());
            var header = in.unpackExtensionTypeHeader();
            assertEquals(-1, header.getType());
            var at = in.unpackTimestamp(header);
            assertTrue(Math.abs(Duration.between(at, java.time.Instant.now()).toSeconds()) < 60, at.toString());
            sawTime = true;
            break;
          } else {
            in.skipValue();
          }
        }
        assertTrue(sawSize && sawTime);
      }
    }
  }

  @Test
  void unknownLocationIsRefused() throws Exception {
    try (WsProbe client = WsProbe.connect(location("mars-1"))) {
      CloseReason reason = client.awaitClose(WAIT);
      assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), reason.getCloseCode().getCode());
    }
  }

  @Test
  void eachLocationIsItsOwnEndpointForTheConnectionLimit() throws Exception {
    try (WsProbe us = authenticated("us");
        WsProbe eu = authenticated("eu-1");
        WsProbe second = WsProbe.connect(location("us"))) {
      second.send(AUTH);
      assertTrue(second.awaitText("error", WAIT).contains("\"code\":406"));
      assertTrue(us.isOpen() && eu.isOpen());
    }
  }
}
