package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import io.tickrelay.marketdata.TradingStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alpaca's stock status, LULD, imbalance, correction and cancel/error messages, read from the
 * examples of Alpaca's "Real-time Stock Data" page (test resources named after its sections) and
 * written back in both wire formats.
 */
class StockMessagesTest {

  private static final JsonCodec JSON = JsonCodec.INSTANCE;
  private static final WireCodec MSGPACK = WireFormat.MSGPACK.codec();

  static String docFrame(String section) throws IOException {
    String path = "/alpaca/real-time-stock-pricing-data/" + section + ".json";
    try (InputStream in = StockMessagesTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  static MarketEvent docEvent(String section) throws Exception {
    List<ServerMessage> messages = JSON.decodeServer(docFrame(section));
    assertEquals(1, messages.size());
    return assertInstanceOf(ServerMessage.Data.class, messages.get(0)).event();
  }

  @Test
  void aTradingStatusReadsEveryField() throws Exception {
    assertEquals(
        new TradingStatus("AAPL", "H", "Trading Halt", "T12",
            "Trading Halted; For information requested by NASDAQ",
            Instant.parse("2021-02-22T19:15:00Z"), "C"),
        docEvent("trading-status"));
  }

  @Test
  void aLuldReadsEveryField() throws Exception {
    assertEquals(
        new Luld("IONM", 3.24, 2.65, "B", Instant.parse("2023-04-06T13:34:45.565004401Z"), "C"),
        docEvent("limit-up-limit-down"));
  }

  @Test
  void anImbalanceReadsEveryField() throws Exception {
    assertEquals(
        new Imbalance("INAQU", 9.12, Instant.parse("2024-12-13T19:58:09.242138635Z"), "C"),
        docEvent("order-imbalances"));
  }

  @Test
  void aCorrectionReadsEveryField() throws Exception {
    assertEquals(
        new TradeCorrection("EEM", "M", 52983525033527L, 39.1582, 440000, List.of(" ", "7"),
            52983525034326L, 39.1809, 440000, List.of(" ", "7"),
            Instant.parse("2023-04-06T14:25:06.542305024Z"), "B"),
        docEvent("trade-corrections"));
  }

  @Test
  void aCancelReadsEveryField() throws Exception {
    assertEquals(
        new TradeCancel("GOOGL", 465, "D", 105.31, 300, TradeCancel.CANCEL,
            Instant.parse("2023-04-06T13:15:42.83540958Z"), "C"),
        docEvent("trade-cancels-errors"));
  }

  @ParameterizedTest
  @CsvSource({
    "trading-status, STATUSES",
    "limit-up-limit-down, LULDS",
    "order-imbalances, IMBALANCES",
    // Alpaca sends corrections and cancel/errors to whoever has the symbol's trades (§1.4)
    "trade-corrections, TRADES",
    "trade-cancels-errors, TRADES"
  })
  void eachGoesToItsChannel(String section, Channel channel) throws Exception {
    assertEquals(channel, docEvent(section).channel());
  }

  /**
   * JSON -> event -> JSON gives the documented element back: the same keys in the same order, the
   * same values, integers as integers. Timestamps compare as instants: Java prints nanoseconds in
   * groups of three ({@code .83540958Z} comes back as {@code .835409580Z}), the same instant.
   */
  @ParameterizedTest
  @ValueSource(strings = {
    "trading-status", "limit-up-limit-down", "order-imbalances", "trade-corrections",
    "trade-cancels-errors"})
  void aJsonRoundTripGivesTheDocumentedElement(String section) throws Exception {
    Map<?, ?> documented = (Map<?, ?>) ((List<?>) JSON.parse(docFrame(section))).get(0);
    String written = new String(JSON.event(docEvent(section)), StandardCharsets.UTF_8);
    Map<?, ?> back = (Map<?, ?>) JSON.parse(written);
    assertEquals(new ArrayList<>(documented.keySet()), new ArrayList<>(back.keySet()), written);
    assertEquals(withInstant(documented), withInstant(back), written);
  }

  @Test
  void theDocumentedStatusComesBackByteForByte() throws Exception {
    assertEquals(docFrame("trading-status"), new String(
        JSON.frame(List.of(JSON.event(docEvent("trading-status")))), StandardCharsets.UTF_8));
    assertEquals(docFrame("trade-corrections"), new String(
        JSON.frame(List.of(JSON.event(docEvent("trade-corrections")))), StandardCharsets.UTF_8));
  }

  private static Map<Object, Object> withInstant(Map<?, ?> element) {
    Map<Object, Object> copy = new LinkedHashMap<>(element);
    copy.put("t", TreeValues.instant(element.get("t")));
    return copy;
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "trading-status", "limit-up-limit-down", "order-imbalances", "trade-corrections",
    "trade-cancels-errors"})
  void msgpackKeepsTheKeysWithTFirstAndTheTimestampExtension(String section) throws Exception {
    MarketEvent event = docEvent(section);
    Map<?, ?> documented = (Map<?, ?>) ((List<?>) JSON.parse(docFrame(section))).get(0);
    Map<?, ?> packed = (Map<?, ?>) MsgpackCodec.parse(MSGPACK.event(event));
    assertEquals(new ArrayList<>(documented.keySet()), new ArrayList<>(packed.keySet()));
    assertInstanceOf(Instant.class, packed.get("t"), "ext -1, as the SDKs decode it");
    // every other value has the type of the documented one: Long stays Long, Double stays Double
    assertEquals(withInstant(documented), packed);
    // and it reads back as the same event
    assertEquals(List.of(new ServerMessage.Data(event)),
        MSGPACK.decodeServer(MSGPACK.frame(List.of(MSGPACK.event(event)))));
  }

  @Test
  void correctionIdsAndSizesAreMsgpackIntegersAndConditionsArrays() throws Exception {
    Map<?, ?> packed = (Map<?, ?>) MsgpackCodec.parse(MSGPACK.event(docEvent("trade-corrections")));
    assertEquals(52983525033527L, packed.get("oi"));
    assertEquals(52983525034326L, packed.get("ci"));
    assertEquals(440000L, packed.get("os"));
    assertEquals(39.1809, packed.get("cp"));
    assertEquals(List.of(" ", "7"), packed.get("cc"));
  }

  @Test
  void tradeIdsBeyondTwoToThe53KeepEveryDigit() throws Exception {
    long id = 9_007_199_254_740_993L; // 2^53 + 1: a double would make it ...992
    String frame = docFrame("trade-cancels-errors").replace("\"i\":465", "\"i\":" + id);
    TradeCancel cancel = (TradeCancel) ((ServerMessage.Data) JSON.decodeServer(frame).get(0)).event();
    assertEquals(id, cancel.id());
    assertTrue(new String(JSON.event(cancel), StandardCharsets.UTF_8).contains("\"i\":" + id));
    assertEquals(id, ((Map<?, ?>) MsgpackCodec.parse(MSGPACK.event(cancel))).get("i"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "trading-status", "limit-up-limit-down", "order-imbalances", "trade-corrections",
    "trade-cancels-errors"})
  void xSeqComesLastWhenSequenced(String section) throws Exception {
    MarketEvent event = docEvent(section);
    for (WireFormat format : WireFormat.values()) {
      byte[] bytes = GatewayMessages.event(format, event, 42);
      Map<?, ?> tree = (Map<?, ?>) (format == WireFormat.JSON
          ? JSON.parse(new String(bytes, StandardCharsets.UTF_8))
          : MsgpackCodec.parse(bytes));
      List<?> keys = new ArrayList<>(tree.keySet());
      assertEquals("T", keys.get(0), format + " " + keys);
      assertEquals("x-seq", keys.get(keys.size() - 1), format + " " + keys);
      assertEquals(42L, tree.get("x-seq"));
    }
  }

  @Test
  void aMalformedElementCostsOnlyItself() throws Exception {
    String frame = "[{\"T\":\"l\",\"S\":\"IONM\",\"u\":\"3.24\",\"d\":2.65,\"i\":\"B\","
        + "\"t\":\"2023-04-06T13:34:45Z\",\"z\":\"C\"}," + docFrame("order-imbalances").substring(1);
    List<ServerMessage> messages = JSON.decodeServer(frame);
    assertEquals(new ServerMessage.Malformed("l"), messages.get(0));
    assertInstanceOf(Imbalance.class, ((ServerMessage.Data) messages.get(1)).event());
  }
}
