package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.CryptoTrade;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import io.tickrelay.marketdata.PassThrough;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.Trade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Alpaca's crypto v1beta3 records and acknowledgement in both wire formats, against the frames
 * recorded in upstream-protocols.md §1.4 and §1.5.
 */
class CryptoCodecTest {

  // recorded frames (upstream-protocols.md §1.5, Alpaca real-time-crypto-pricing-data)
  static final String AVAX_TRADE =
      "{\"T\":\"t\",\"S\":\"AVAX/USD\",\"p\":47.299,\"s\":29.205707815,"
          + "\"t\":\"2024-03-12T10:27:48.858228144Z\",\"i\":3447222699101865076,\"tks\":\"S\"}";
  static final String BTC_BOOK =
      "{\"T\":\"o\",\"S\":\"BTC/USD\",\"t\":\"2024-03-12T10:38:50.79613221Z\","
          + "\"b\":[{\"p\":71859.53,\"s\":0.27994}],\"a\":[{\"p\":71939.7,\"s\":0.83953}],\"r\":true}";
  static final String CRV_DELTA =
      "{\"T\":\"o\",\"S\":\"CRV/USD\",\"t\":\"2024-03-12T10:39:40.501160019Z\","
          + "\"b\":[{\"p\":0.7904,\"s\":0}],\"a\":[]}";
  // §1.4, crypto acknowledgement
  static final String ACK =
      "[{\"T\":\"subscription\",\"trades\":[],\"quotes\":[],\"orderbooks\":[],\"bars\":[\"BTC/USD\"],"
          + "\"updatedBars\":[],\"dailyBars\":[]}]";

  static final CryptoTrade TRADE =
      new CryptoTrade(
          "AVAX/USD",
          3447222699101865076L,
          47.299,
          29.205707815,
          Instant.parse("2024-03-12T10:27:48.858228144Z"),
          "S");
  static final OrderBook BOOK =
      new OrderBook(
          "BTC/USD",
          Instant.parse("2024-03-12T10:38:50.79613221Z"),
          List.of(new OrderBook.Level(71859.53, 0.27994)),
          List.of(new OrderBook.Level(71939.7, 0.83953)),
          true);
  static final OrderBook DELTA =
      new OrderBook(
          "CRV/USD",
          Instant.parse("2024-03-12T10:39:40.501160019Z"),
          List.of(new OrderBook.Level(0.7904, 0)),
          List.of(),
          false);
  static final CryptoQuote QUOTE =
      new CryptoQuote("BTC/USD", 71859.53, 0.27994, 71939.7, 0.83953, TRADE.timestamp());

  static CryptoBar bar(Bar.Kind kind) {
    return new CryptoBar(
        kind, "ETH/USD", 3950.1, 3961.25, 3948, 3955.5, 12.3456789, 42, 3954.77,
        Instant.parse("2024-03-12T10:27:00Z"));
  }

  static final List<MarketEvent> ALL =
      List.of(TRADE, QUOTE, bar(Bar.Kind.MINUTE), bar(Bar.Kind.DAILY), bar(Bar.Kind.UPDATED), BOOK,
          DELTA);

  private static final WireCodec JSON = WireFormat.JSON.codec();

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordedCryptoFramesDecodeIntoCryptoRecordsWithTheFullTradeId() throws ProtocolException {
    String frame = "[" + AVAX_TRADE + "," + BTC_BOOK + "," + CRV_DELTA + "]";
    List<ServerMessage> messages = JSON.decodeServer(bytes(frame), AssetClass.CRYPTO);
    assertEquals(
        List.of(
            new ServerMessage.Data(TRADE), new ServerMessage.Data(BOOK), new ServerMessage.Data(DELTA)),
        messages);
    // above 2^53 a double would have rounded it to ...5072
    assertEquals(3447222699101865076L, ((CryptoTrade) ((ServerMessage.Data) messages.get(0)).event()).id());
  }

  @Test
  void theSameLetterIsAStockRecordOnAStockStream() throws ProtocolException {
    List<ServerMessage> stock = JSON.decodeServer(bytes("[" + AVAX_TRADE + "," + BTC_BOOK + "]"));
    assertInstanceOf(Trade.class, ((ServerMessage.Data) stock.get(0)).event());
    // not a stock type: relayed as it came rather than read as a book
    assertEquals("o", ((PassThrough) ((ServerMessage.Data) stock.get(1)).event()).type());
  }

  @Test
  void cryptoRecordsAreWrittenExactlyAsAlpacaSendsThem() {
    assertEquals(AVAX_TRADE, text(JSON.event(TRADE)));
    // Instant.toString writes fraction digits in threes where Go trims them; both are RFC 3339
    assertEquals(BTC_BOOK.replace(".79613221Z", ".796132210Z"), text(JSON.event(BOOK)));
    assertEquals(CRV_DELTA, text(JSON.event(DELTA)), "no r on a delta");
    assertEquals(
        "{\"T\":\"q\",\"S\":\"BTC/USD\",\"bp\":71859.53,\"bs\":0.27994,\"ap\":71939.7,\"as\":0.83953,"
            + "\"t\":\"2024-03-12T10:27:48.858228144Z\"}",
        text(JSON.event(QUOTE)));
    assertEquals(
        "{\"T\":\"u\",\"S\":\"ETH/USD\",\"o\":3950.1,\"h\":3961.25,\"l\":3948,\"c\":3955.5,"
            + "\"v\":12.3456789,\"t\":\"2024-03-12T10:27:00Z\",\"n\":42,\"vw\":3954.77}",
        text(JSON.event(bar(Bar.Kind.UPDATED))));
  }

  @Test
  void sequenceNumberComesLastSoTStaysFirst() {
    assertEquals(
        AVAX_TRADE.substring(0, AVAX_TRADE.length() - 1) + ",\"x-seq\":7}",
        text(GatewayMessages.event(WireFormat.JSON, TRADE, 7)));
  }

  @Test
  void cryptoAcknowledgementHasExactlyTheCryptoKeys() throws ProtocolException {
    Interest interest = Interest.of(Map.of(Channel.BARS, List.of("BTC/USD")));
    assertEquals(ACK, text(JSON.subscription(interest, AssetClass.CRYPTO)));
    assertEquals(ACK, text(JSON.subscription(interest, AssetClass.ofStream(Streams.crypto("us")))));
    assertEquals(
        List.of(new ServerMessage.SubscriptionState(interest)),
        JSON.decodeServer(bytes(ACK), AssetClass.CRYPTO));
    // the stock one is unchanged: statuses, corrections and cancelErrors
    assertTrue(text(JSON.subscription(interest)).contains("\"corrections\":[]"));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void everyCryptoRecordRoundTrips(WireFormat format) throws ProtocolException {
    WireCodec codec = format.codec();
    List<byte[]> encoded = ALL.stream().map(codec::event).toList();
    List<ServerMessage> expected =
        ALL.stream().map(e -> (ServerMessage) new ServerMessage.Data(e)).toList();
    assertEquals(expected, codec.decodeServer(codec.frame(encoded), AssetClass.CRYPTO));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void cryptoAcknowledgementRoundTrips(WireFormat format) throws ProtocolException {
    WireCodec codec = format.codec();
    Interest interest =
        Interest.of(
            Map.of(
                Channel.TRADES, List.of("BTC/USD", "ETH/USD"),
                Channel.ORDERBOOKS, List.of("*"),
                Channel.DAILY_BARS, List.of("SOL/USD")));
    assertEquals(
        List.of(new ServerMessage.SubscriptionState(interest)),
        codec.decodeServer(codec.subscription(interest, AssetClass.CRYPTO), AssetClass.CRYPTO));
  }

  @Test
  void msgpackCryptoTradeHasTFirstAnExtensionTimestampAndAnExactInt64Id() throws IOException {
    byte[] bytes = WireFormat.MSGPACK.codec().event(TRADE);
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
      assertEquals(7, in.unpackMapHeader());
      assertEquals("T", in.unpackString());
      assertEquals("t", in.unpackString());
      assertEquals("S", in.unpackString());
      assertEquals("AVAX/USD", in.unpackString());
      assertEquals("p", in.unpackString());
      assertEquals(47.299, in.unpackDouble());
      assertEquals("s", in.unpackString());
      assertEquals(MessageFormat.FLOAT64, in.getNextFormat(), "crypto sizes are floats");
      assertEquals(29.205707815, in.unpackDouble());
      assertEquals("t", in.unpackString());
      assertEquals(ValueType.EXTENSION, in.getNextFormat().getValueType());
      var header = in.unpackExtensionTypeHeader();
      assertEquals(-1, header.getType());
      assertEquals(TRADE.timestamp(), in.unpackTimestamp(header));
      assertEquals("i", in.unpackString());
      assertEquals(3447222699101865076L, in.unpackLong());
      assertEquals("tks", in.unpackString());
      assertEquals("S", in.unpackString());
    }
  }

  @Test
  void msgpackOrderBookCarriesResetOnlyWhenTrue() throws IOException {
    assertEquals(Set.of("T", "S", "t", "b", "a", "r"), topKeys(WireFormat.MSGPACK.codec().event(BOOK)));
    assertEquals(Set.of("T", "S", "t", "b", "a"), topKeys(WireFormat.MSGPACK.codec().event(DELTA)));
  }

  @Test
  void msgpackIntegralSizesFromTheServerReadAsFractionalSizes() throws Exception {
    var packer = MessagePack.newDefaultBufferPacker();
    packer.packArrayHeader(1).packMapHeader(7)
        .packString("T").packString("q")
        .packString("S").packString("ETH/USD")
        .packString("bp").packDouble(3950.5)
        .packString("bs").packInt(2)
        .packString("ap").packInt(3951)
        .packString("as").packDouble(0.125)
        .packString("t").packTimestamp(Instant.parse("2024-03-12T10:27:00.5Z"));
    assertEquals(
        List.of(new ServerMessage.Data(
            new CryptoQuote("ETH/USD", 3950.5, 2, 3951, 0.125, Instant.parse("2024-03-12T10:27:00.5Z")))),
        WireFormat.MSGPACK.codec().decodeServer(packer.toByteArray(), AssetClass.CRYPTO));
  }

  @Test
  void aMalformedCryptoElementCostsOnlyItself() throws ProtocolException {
    String frame = "[{\"T\":\"o\",\"S\":\"BTC/USD\",\"t\":\"2024-03-12T10:38:50Z\",\"b\":[1]}," + AVAX_TRADE + "]";
    List<ServerMessage> messages = JSON.decodeServer(bytes(frame), AssetClass.CRYPTO);
    assertEquals(new ServerMessage.Malformed("o"), messages.get(0));
    assertEquals(new ServerMessage.Data(TRADE), messages.get(1));
  }

  private static Set<String> topKeys(byte[] map) throws IOException {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(map)) {
      int n = in.unpackMapHeader();
      var keys = new java.util.LinkedHashSet<String>();
      for (int i = 0; i < n; i++) {
        String key = in.unpackString();
        if (i == 0) {
          assertEquals("T", key);
        }
        keys.add(key);
        in.skipValue();
      }
      return keys;
    }
  }
}
