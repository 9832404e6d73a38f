package io.tickrelay.protocol;

import static io.tickrelay.protocol.JsonCodecTest.QUOTE;
import static io.tickrelay.protocol.JsonCodecTest.TRADE;
import static io.tickrelay.protocol.JsonCodecTest.bar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Trade;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The msgpack wire format, checked by reading the bytes with msgpack-core directly: {@code T} first
 * in every map and timestamps as extension type -1, as the official SDKs require
 * (upstream-protocols.md §1.2).
 */
class MsgpackCodecTest {

  private final WireCodec codec = WireFormat.MSGPACK.codec();

  /** Reads any msgpack value into Java objects; timestamps become Instants, other ext fails. */
  private static Object read(MessageUnpacker in) throws IOException {
    MessageFormat format = in.getNextFormat();
    switch (format.getValueType()) {
      case MAP -> {
        int size = in.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          map.put(in.unpackString(), read(in));
        }
        return map;
      }
      case ARRAY -> {
        int size = in.unpackArrayHeader();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          list.add(read(in));
        }
        return list;
      }
      case STRING -> {
        return in.unpackString();
      }
      case INTEGER -> {
        return in.unpackLong();
      }
      case FLOAT -> {
        return in.unpackDouble();
      }
      case EXTENSION -> {
        ExtensionTypeHeader ext = in.unpackExtensionTypeHeader();
        assertEquals(-1, ext.getType(), "only the timestamp extension is expected");
        return in.unpackTimestamp(ext);
      }
      default -> throw new AssertionError("unexpected msgpack value " + format);
    }
  }

  private static Object readAll(byte[] bytes) throws IOException {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
      Object value = read(in);
      assertFalse(in.hasNext(), "trailing bytes");
      return value;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readMap(byte[] bytes) throws IOException {
    return (Map<String, Object>) readAll(bytes);
  }

  /** A control message: an array of exactly one map. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> readControl(byte[] bytes) throws IOException {
    List<Object> array = (List<Object>) readAll(bytes);
    assertEquals(1, array.size(), "control messages arrive alone");
    return (Map<String, Object>) array.get(0);
  }

  private static String firstKey(Map<String, Object> map) {
    return map.keySet().iterator().next();
  }

  @Test
  void tradeMapStartsWithTAndCarriesAlpacasKeysAndTypes() throws IOException {
    Map<String, Object> trade = readMap(codec.event(TRADE));
    assertEquals(List.of("T", "S", "i", "x", "p", "s", "c", "z", "t"), List.copyOf(trade.keySet()));
    assertEquals("t", trade.get("T"));
    assertEquals("AAPL", trade.get("S"));
    assertEquals(96921L, trade.get("i"));
    assertEquals("D", trade.get("x"));
    assertEquals(126.55, trade.get("p"));
    assertEquals(1L, trade.get("s"));
    assertEquals(List.of("@", "I"), trade.get("c"));
    assertEquals("C", trade.get("z"));
    assertEquals(TRADE.timestamp(), trade.get("t"));
  }

  @Test
  void quoteMapStartsWithT() throws IOException {
    Map<String, Object> quote = readMap(codec.event(QUOTE));
    assertEquals(
        List.of("T", "S", "bx", "bp", "bs", "ax", "ap", "as", "c", "z", "t"),
        List.copyOf(quote.keySet()));
    assertEquals("q", quote.get("T"));
    assertEquals(87.66, quote.get("bp"));
    assertEquals(4L, quote.get("as"));
  }

  @ParameterizedTest
  @CsvSource({"MINUTE, b", "DAILY, d", "UPDATED, u"})
  void barMapStartsWithT(Bar.Kind kind, String type) throws IOException {
    Map<String, Object> bar = readMap(codec.event(bar(kind)));
    assertEquals(
        List.of("T", "S", "o", "h", "l", "c", "v", "n", "vw", "t"), List.copyOf(bar.keySet()));
    assertEquals(type, bar.get("T"));
    assertEquals(49378L, bar.get("v"));
    assertEquals(461L, bar.get("n"));
    assertEquals(389.062639, bar.get("vw"));
  }

  @ParameterizedTest
  @CsvSource({
    // 32-bit, 64-bit and 96-bit forms of the timestamp extension
    "2021-02-22T19:15:00Z",
    "2021-02-22T15:51:45.335689322Z",
    "2024-01-02T14:30:00.000000001Z",
    "2600-01-01T00:00:00.999999999Z",
    "1969-12-31T23:59:59.5Z",
  })
  void timestampIsExtensionMinusOneWithNanoseconds(String timestamp) throws IOException {
    Instant instant = Instant.parse(timestamp);
    Trade trade = new Trade("F", 1, "V", 10.4, 1, instant, List.of(), "A");
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(codec.event(trade))) {
      int entries = in.unpackMapHeader();
      for (int i = 0; i < entries; i++) {
        String key = in.unpackString();
        if (!key.equals("t")) {
          in.skipValue();
          continue;
        }
        assertEquals(ValueType.EXTENSION, in.getNextFormat().getValueType());
        ExtensionTypeHeader ext = in.unpackExtensionTypeHeader();
        assertEquals(-1, ext.getType());
        assertTrue(ext.isTimestampType());
        assertEquals(instant, in.unpackTimestamp(ext));
        return;
      }
    }
    throw new AssertionError("no t key");
  }

  @Test
  void everyEventKindRoundTrips() throws ProtocolException {
    List<MarketEvent> events =
        List.of(TRADE, QUOTE, bar(Bar.Kind.MINUTE), bar(Bar.Kind.DAILY), bar(Bar.Kind.UPDATED));
    List<byte[]> encoded = events.stream().map(codec::event).toList();
    List<ServerMessage> expected =
        events.stream().map(e -> (ServerMessage) new ServerMessage.Data(e)).toList();
    assertEquals(expected, codec.decodeServer(codec.frame(encoded)));
  }

  @Test
  void frameIsAnArrayOfTheEncodedEvents() throws IOException {
    byte[] a = codec.event(TRADE);
    byte[] b = codec.event(QUOTE);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(0x92); // fixarray of 2
    expected.write(a);
    expected.write(b);
    assertArrayEquals(expected.toByteArray(), codec.frame(List.of(a, b)));
    assertArrayEquals(new byte[] {(byte) 0x90}, codec.frame(List.of()));
  }

  @Test
  void largeFrameUsesAWiderArrayHeader() throws IOException {
    List<byte[]> events = Collections.nCopies(20, codec.event(TRADE));
    byte[] frame = codec.frame(events);
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame)) {
      assertEquals(MessageFormat.ARRAY16, in.getNextFormat());
      assertEquals(20, in.unpackArrayHeader());
    }
    @SuppressWarnings("unchecked")
    List<Object> elements = (List<Object>) readAll(frame);
    assertEquals(20, elements.size());
    assertEquals(readMap(codec.event(TRADE)), elements.get(19));
  }

  @Test
  void successAndErrorAreSingleMapsStartingWithT() throws IOException, ProtocolException {
    Map<String, Object> success = readControl(codec.success("connected"));
    assertEquals(List.of("T", "msg"), List.copyOf(success.keySet()));
    assertEquals(Map.of("T", "success", "msg", "connected"), success);

    Map<String, Object> error = readControl(codec.error(AlpacaError.SYMBOL_LIMIT_EXCEEDED));
    assertEquals(List.of("T", "code", "msg"), List.copyOf(error.keySet()));
    assertEquals(Map.of("T", "error", "code", 405L, "msg", "symbol limit exceeded"), error);

    assertEquals(
        List.of(new ServerMessage.Failure(405, "symbol limit exceeded")),
        codec.decodeServer(codec.error(AlpacaError.SYMBOL_LIMIT_EXCEEDED)));
  }

  @Test
  void subscriptionListsEveryStockKeyAndFollowsTradesWithCorrections()
      throws IOException, ProtocolException {
    Interest interest =
        Interest.of(Map.of(Channel.TRADES, List.of("AAPL", "MSFT"), Channel.BARS, List.of("*")));
    byte[] ack = codec.subscription(interest);
    Map<String, Object> map = readControl(ack);
    assertEquals("T", firstKey(map));
    assertEquals(
        List.of(
            "T",
            "trades",
            "quotes",
            "bars",
            "updatedBars",
            "dailyBars",
            "statuses",
            "lulds",
            "corrections",
            "cancelErrors"),
        List.copyOf(map.keySet()));
    assertEquals(List.of("AAPL", "MSFT"), map.get("trades"));
    assertEquals(map.get("trades"), map.get("corrections"));
    assertEquals(map.get("trades"), map.get("cancelErrors"));
    assertEquals(List.of(), map.get("quotes"));
    assertEquals(List.of("*"), map.get("bars"));
    assertEquals(List.of(new ServerMessage.SubscriptionState(interest)), codec.decodeServer(ack));
  }

  @Test
  void authRequestIsAMapOfStrings() throws IOException {
    assertEquals(
        Map.of("action", "auth", "key", "PK", "secret", "s"), readMap(codec.auth("PK", "s")));
  }

  @Test
  void everyTruncationOfAValidFrameIsInvalidSyntax() {
    byte[] subscribe =
        ClientFrames.msgpack(
            ClientFrames.obj("action", "subscribe", "trades", List.of("AAPL", "MSFT")));
    byte[] auth = codec.auth("PKTEST", "secret");
    for (byte[] frame : List.of(subscribe, auth)) {
      for (int length = 0; length < frame.length; length++) {
        byte[] truncated = Arrays.copyOf(frame, length);
        ProtocolException e =
            assertThrows(ProtocolException.class, () -> codec.decodeClient(truncated));
        assertEquals(AlpacaError.INVALID_SYNTAX, e.error(), "length " + length);
      }
    }
  }

  @Test
  void lengthHeadersClaimingMoreThanTheFrameAreInvalidSyntax() {
    byte[][] lies = {
      {(byte) 0xdd, (byte) 0x80, 0, 0, 0}, // array32 of 2^31 elements in a 5-byte frame
      {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // array32 of 2^31 - 1
      {(byte) 0xdf, (byte) 0x80, 0, 0, 0}, // map32 of 2^31 entries
      {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // map32 of 2^31 - 1
      {(byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // str32
      {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // bin32
      {(byte) 0xc9, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}, // ext32
      {(byte) 0x81, (byte) 0xa1, 'a', (byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
    };
    for (byte[] frame : lies) {
      ProtocolException client =
          assertThrows(ProtocolException.class, () -> codec.decodeClient(frame));
      assertEquals(AlpacaError.INVALID_SYNTAX, client.error());
      assertThrows(ProtocolException.class, () -> codec.decodeServer(frame));
    }
  }

  @Test
  void deeplyNestedMsgpackIsInvalidSyntax() {
    for (int depth : List.of(17, 100, 100_000)) {
      byte[] arrays = new byte[depth + 1];
      Arrays.fill(arrays, (byte) 0x91); // fixarray of 1, nested
      arrays[depth] = (byte) 0xc0;
      ByteArrayOutputStream maps = new ByteArrayOutputStream();
      for (int i = 0; i < depth; i++) {
        maps.writeBytes(new byte[] {(byte) 0x81, (byte) 0xa1, 'a'}); // {"a": ...
      }
      maps.write(0xc0);
      for (byte[] frame : List.of(arrays, maps.toByteArray())) {
        ProtocolException e =
            assertThrows(ProtocolException.class, () -> codec.decodeClient(frame));
        assertEquals(AlpacaError.INVALID_SYNTAX, e.error(), "depth " + depth);
      }
    }
  }

  @Test
  void timestampsOutsideInstantsRangeAreInvalidSyntax() {
    // ext8 (c7), 12 bytes, type -1: the 96-bit timestamp, 32-bit nanoseconds then 64-bit seconds
    List<String> timestamps =
        List.of(
            "c70cff" + "00000000" + "7fffffffffffffff", // Long.MAX_VALUE seconds
            "c70cff" + "7fffffff" + "7fffffffffffffff", // and nanoseconds pushing it over
            "c70cff" + "00000000" + "8000000000000000"); // Long.MIN_VALUE seconds
    for (String hex : timestamps) {
      byte[] timestamp = HexFormat.of().parseHex(hex);
      // [{"T":"t","t":<timestamp>}]
      byte[] inMap = HexFormat.of().parseHex("9182" + "a154" + "a174" + "a174" + hex);
      for (byte[] frame : List.of(timestamp, inMap)) {
        ProtocolException client =
            assertThrows(ProtocolException.class, () -> codec.decodeClient(frame));
        assertEquals(AlpacaError.INVALID_SYNTAX, client.error());
        ProtocolException server =
            assertThrows(ProtocolException.class, () -> codec.decodeServer(frame));
        assertEquals(AlpacaError.INVALID_SYNTAX, server.error());
      }
    }
  }
}
