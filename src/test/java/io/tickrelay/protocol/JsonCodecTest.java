package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.marketdata.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON wire format against the message examples of upstream-protocols.md §1.3-1.6. */
class JsonCodecTest {

  private final WireCodec codec = WireFormat.JSON.codec();

  static final Trade TRADE =
      new Trade(
          "AAPL",
          96921,
          "D",
          126.55,
          1,
          Instant.parse("2021-02-22T15:51:44.208Z"),
          List.of("@", "I"),
          "C");

  static final Quote QUOTE =
      new Quote(
          "AMD",
          "U",
          87.66,
          1,
          "Q",
          87.68,
          4,
          Instant.parse("2021-02-22T15:51:45.335689322Z"),
          List.of("R"),
          "C");

  static Bar bar(Bar.Kind kind) {
    return new Bar(
        kind,
        "SPY",
        388.985,
        389.13,
        388.975,
        389.12,
        49378,
        461,
        389.062639,
        Instant.parse("2021-02-22T19:15:00Z"));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private String eventJson(MarketEvent event) {
    return text(codec.event(event));
  }

  @Test
  void tradeHasAlpacasShape() {
    assertEquals(
        "{\"T\":\"t\",\"S\":\"AAPL\",\"i\":96921,\"x\":\"D\",\"p\":126.55,\"s\":1,"
            + "\"c\":[\"@\",\"I\"],\"z\":\"C\",\"t\":\"2021-02-22T15:51:44.208Z\"}",
        eventJson(TRADE));
  }

  @Test
  void quoteHasAlpacasShapeWithNanosecondsKept() {
    assertEquals(
        "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"U\",\"bp\":87.66,\"bs\":1,\"ax\":\"Q\",\"ap\":87.68,"
            + "\"as\":4,\"c\":[\"R\"],\"z\":\"C\",\"t\":\"2021-02-22T15:51:45.335689322Z\"}",
        eventJson(QUOTE));
  }

  @ParameterizedTest
  @CsvSource({"MINUTE, b", "DAILY, d", "UPDATED, u"})
  void everyBarKindHasAlpacasShape(Bar.Kind kind, String type) {
    assertEquals(
        "{\"T\":\""
            + type
            + "\",\"S\":\"SPY\",\"o\":388.985,\"h\":389.13,\"l\":388.975,\"c\":389.12,"
            + "\"v\":49378,\"n\":461,\"vw\":389.062639,\"t\":\"2021-02-22T19:15:00Z\"}",
        eventJson(bar(kind)));
  }

  @Test
  void integralPricesArePrintedWithoutFraction() {
    Trade trade =
        new Trade("F", 7, "V", 11.0, 100, Instant.parse("2024-01-02T14:30:00Z"), List.of(), "A");
    assertEquals(
        "{\"T\":\"t\",\"S\":\"F\",\"i\":7,\"x\":\"V\",\"p\":11,\"s\":100,\"c\":[],\"z\":\"A\","
            + "\"t\":\"2024-01-02T14:30:00Z\"}",
        eventJson(trade));
    Bar bar = new Bar(Bar.Kind.DAILY, "F", 10, 12, 9, 11, 300, 3, 10.5, trade.timestamp());
    assertEquals(
        "{\"T\":\"d\",\"S\":\"F\",\"o\":10,\"h\":12,\"l\":9,\"c\":11,\"v\":300,\"n\":3,\"vw\":10.5,"
            + "\"t\":\"2024-01-02T14:30:00Z\"}",
        eventJson(bar));
  }

  @Test
  void timestampsKeepEveryNanosecond() throws ProtocolException {
    Trade trade =
        new Trade(
            "F", 1, "V", 1.5, 1, Instant.parse("2024-01-02T14:30:00.000000001Z"), List.of(), "A");
    String json = eventJson(trade);
    assertTrue(json.endsWith(",\"t\":\"2024-01-02T14:30:00.000000001Z\"}"), json);
    assertEquals(
        List.of(new ServerMessage.Data(trade)),
        codec.decodeServer(codec.frame(List.of(bytes(json)))));
  }

  @Test
  void largeTradeIdsKeepInt64Precision() throws ProtocolException {
    // crypto trade ids exceed 2^53 (upstream-protocols.md §1.5)
    Trade trade =
        new Trade(
            "BTC/USD",
            3447222699101865076L,
            "CBSE",
            71859.53,
            1,
            Instant.parse("2024-03-12T10:27:48.858228144Z"),
            List.of(),
            "");
    assertEquals(
        List.of(new ServerMessage.Data(trade)),
        codec.decodeServer(codec.frame(List.of(codec.event(trade)))));
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
  void frameJoinsEventsIntoOneArray() {
    byte[] a = codec.event(TRADE);
    byte[] b = codec.event(QUOTE);
    assertEquals("[" + text(a) + "," + text(b) + "]", text(codec.frame(List.of(a, b))));
    assertEquals("[" + text(a) + "]", text(codec.frame(List.of(a))));
    assertEquals("[]", text(codec.frame(List.of())));
  }

  @Test
  void successMessages() throws ProtocolException {
    assertEquals("[{\"T\":\"success\",\"msg\":\"connected\"}]", text(codec.success("connected")));
    assertEquals(
        "[{\"T\":\"success\",\"msg\":\"authenticated\"}]", text(codec.success("authenticated")));
    assertEquals(
        List.of(new ServerMessage.Success("authenticated")),
        codec.decodeServer(codec.success("authenticated")));
  }

  @Test
  void errorMessageIsExact() {
    assertEquals(
        "[{\"T\":\"error\",\"code\":400,\"msg\":\"invalid syntax\"}]",
        text(codec.error(AlpacaError.INVALID_SYNTAX)));
    assertEquals(
        "[{\"T\":\"error\",\"code\":410,\"msg\":\"invalid subscribe action for this feed\"}]",
        text(codec.error(AlpacaError.INVALID_SUBSCRIBE_ACTION)));
  }

  @ParameterizedTest
  @EnumSource(AlpacaError.class)
  void everyErrorRoundTrips(AlpacaError error) throws ProtocolException {
    assertEquals(
        List.of(new ServerMessage.Failure(error.code(), error.message())),
        codec.decodeServer(codec.error(error)));
  }

  @Test
  void subscriptionMatchesAlpacasExample() throws ProtocolException {
    Interest interest =
        Interest.of(
            Map.of(
                Channel.TRADES, List.of("AAPL"),
                Channel.QUOTES, List.of("AMD", "CLDR"),
                Channel.BARS, List.of("*")));
    byte[] ack = codec.subscription(interest);
    assertEquals(
        "[{\"T\":\"subscription\",\"trades\":[\"AAPL\"],\"quotes\":[\"AMD\",\"CLDR\"],"
            + "\"bars\":[\"*\"],\"updatedBars\":[],\"dailyBars\":[],\"statuses\":[],\"lulds\":[],"
            + "\"corrections\":[\"AAPL\"],\"cancelErrors\":[\"AAPL\"]}]",
        text(ack));
    assertEquals(List.of(new ServerMessage.SubscriptionState(interest)), codec.decodeServer(ack));
  }

  @Test
  void emptySubscriptionListsEveryStockKey() {
    assertEquals(
        "[{\"T\":\"subscription\",\"trades\":[],\"quotes\":[],\"bars\":[],\"updatedBars\":[],"
            + "\"dailyBars\":[],\"statuses\":[],\"lulds\":[],\"corrections\":[],"
            + "\"cancelErrors\":[]}]",
        text(codec.subscription(Interest.none())));
  }

  @Test
  void subscriptionListsImbalancesOnlyWhenUsed() throws ProtocolException {
    Interest interest = Interest.of(Channel.IMBALANCES, "INAQU");
    byte[] ack = codec.subscription(interest);
    assertEquals(
        "[{\"T\":\"subscription\",\"trades\":[],\"quotes\":[],\"bars\":[],\"updatedBars\":[],"
            + "\"dailyBars\":[],\"statuses\":[],\"lulds\":[],\"imbalances\":[\"INAQU\"],"
            + "\"corrections\":[],\"cancelErrors\":[]}]",
        text(ack));
    assertEquals(List.of(new ServerMessage.SubscriptionState(interest)), codec.decodeServer(ack));
  }

  @Test
  void authRequestIsExact() {
    assertEquals(
        "{\"action\":\"auth\",\"key\":\"PK\",\"secret\":\"s\"}", text(codec.auth("PK", "s")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "}",
        "{\"action\":\"auth\"",
        "{action:\"auth\"}",
        "{'action':'auth'}",
        "[1,]",
        "nul",
        "\"unterminated",
        "{\"action\":\"auth\",\"key\":1e-2147483649,\"secret\":\"s\"}",
      })
  void malformedJsonIsInvalidSyntax(String text) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> codec.decodeClient(bytes(text)));
    assertEquals(AlpacaError.INVALID_SYNTAX, e.error());
  }

  @Test
  void deeplyNestedJsonIsInvalidSyntax() {
    for (String text : List.of("[".repeat(100_000), "{\"a\":".repeat(100_000))) {
      ProtocolException client =
          assertThrows(ProtocolException.class, () -> codec.decodeClient(bytes(text)));
      assertEquals(AlpacaError.INVALID_SYNTAX, client.error());
      assertThrows(ProtocolException.class, () -> codec.decodeServer(bytes(text)));
    }
  }

  @Test
  void serverFrameThatIsNotAnArrayOfTypedObjectsIsRejected() {
    for (String text : List.of("{\"T\":\"t\"}", "[1]", "[{\"S\":\"AAPL\"}]", "[{\"T\":1}]")) {
      assertThrows(ProtocolException.class, () -> codec.decodeServer(bytes(text)), text);
    }
  }

  @Test
  void malformedElementDoesNotCostTheRestOfTheFrame() throws ProtocolException {
    String frame = "[{\"T\":\"t\",\"S\":\"AAPL\",\"p\":\"cheap\"}," + eventJson(QUOTE) + "]";
    assertEquals(
        List.of(new ServerMessage.Malformed("t"), new ServerMessage.Data(QUOTE)),
        codec.decodeServer(bytes(frame)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
