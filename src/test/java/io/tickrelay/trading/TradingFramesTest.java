package io.tickrelay.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.TradeUpdate;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trading-stream codec against frames recorded from Alpaca's docs and SDKs. */
class TradingFramesTest {

  private static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00Z");

  /** docs.alpaca.markets/docs/websocket-streaming, "Example" (order object shortened). */
  static final String DOCS_FILL = """
      {"stream":"trade_updates","data":{"event":"fill","execution_id":"2f63ea93-423d-4169-b3f6-3fdafc10c418",\
      "order":{"asset_class":"crypto","canceled_at":null,"client_order_id":"4642fd68-d59a-47d7-a9ac-e22f536828d1",\
      "filled_at":"2022-04-19T17:45:05.024916716Z","filled_avg_price":"105.8988475","filled_qty":"1790.86",\
      "id":"a5be8f5e-fdfa-41f5-a644-7a74fe947a8f","legs":null,"order_type":"market","qty":"1790.86","side":"sell",\
      "status":"filled","symbol":"SOLUSD","time_in_force":"gtc","type":"market",\
      "updated_at":"2022-04-19T13:45:05.027690731-04:00"},"position_qty":"0","price":"105.8988475",\
      "qty":"1790.86","timestamp":"2022-04-19T17:45:05.024916716Z"}}""";

  @Test
  void aRecordedFillBecomesATradeUpdateKeepingItsData() {
    var frame = assertInstanceOf(TradingFrames.Update.class, TradingFrames.decode(DOCS_FILL, RECEIVED));
    TradeUpdate update = frame.update();
    assertEquals("SOLUSD", update.symbol());
    assertEquals("fill", update.event());
    assertEquals(Instant.parse("2022-04-19T17:45:05.024916716Z"), update.timestamp());
    assertEquals(Channel.TRADE_UPDATES, update.channel());
    JsonObject data = parse(update.json());
    assertEquals(parse(DOCS_FILL).getJsonObject("data"), data, "data relayed unchanged");
  }

  @Test
  void anEventWithoutTimestampTakesTheReceiptTimeAndOneWithAtUsesIt() {
    String fresh = "{\"stream\":\"trade_updates\",\"data\":{\"event\":\"new\",\"order\":{\"symbol\":\"AAPL\"}}}";
    assertEquals(RECEIVED, update(fresh).timestamp());
    String mleg = "{\"stream\":\"trade_updates\",\"data\":{\"at\":\"2025-01-21T07:32:40.70095Z\","
        + "\"event\":\"fill\",\"order\":{\"symbol\":\"\"}}}";
    assertEquals(Instant.parse("2025-01-21T07:32:40.70095Z"), update(mleg).timestamp());
    String offset = "{\"stream\":\"trade_updates\",\"data\":{\"event\":\"canceled\","
        + "\"timestamp\":\"2022-04-19T13:45:05.027690731-04:00\",\"order\":{\"symbol\":\"TSLA\"}}}";
    assertEquals(Instant.parse("2022-04-19T17:45:05.027690731Z"), update(offset).timestamp());
  }

  @Test
  void controlFramesAreDecoded() {
    var authorized = assertInstanceOf(TradingFrames.Authorization.class, TradingFrames.decode(
        "{\"stream\":\"authorization\",\"data\":{\"status\":\"authorized\",\"action\":\"authenticate\"}}", RECEIVED));
    assertEquals("authorized", authorized.status());
    assertEquals("authenticate", authorized.action());
    var listening = assertInstanceOf(TradingFrames.Listening.class, TradingFrames.decode(
        "{\"stream\":\"listening\",\"data\":{\"streams\":[\"trade_updates\"]}}", RECEIVED));
    assertEquals(List.of("trade_updates"), listening.streams());
    var error = assertInstanceOf(TradingFrames.Failure.class, TradingFrames.decode(
        "{\"action\":\"error\",\"data\":{\"error_message\":\"internal server error\"}}", RECEIVED));
    assertEquals("internal server error", error.message());
    assertInstanceOf(TradingFrames.Other.class, TradingFrames.decode(
        "{\"stream\":\"account_updates\",\"data\":{}}", RECEIVED));
  }

  @Test
  void framesThatAreNotTradingStreamFramesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TradingFrames.decode("[{\"T\":\"t\"}]", RECEIVED));
    assertThrows(IllegalArgumentException.class, () -> TradingFrames.decode("{\"data\":{}}", RECEIVED));
    assertThrows(IllegalArgumentException.class, () -> TradingFrames.decode("{oops", RECEIVED));
    assertThrows(IllegalArgumentException.class,
        () -> TradingFrames.decode("{\"stream\":\"trade_updates\",\"data\":{\"order\":{}}}", RECEIVED));
  }

  @Test
  void serverFramesAreEncodedAsAlpacaSendsThem() {
    assertEquals("{\"stream\":\"authorization\",\"data\":{\"status\":\"unauthorized\",\"action\":\"listen\"}}",
        text(TradingFrames.authorization("unauthorized", "listen")));
    assertEquals("{\"stream\":\"listening\",\"data\":{\"streams\":[]}}", text(TradingFrames.listening(List.of())));
    assertEquals("{\"action\":\"error\",\"data\":{\"error_message\":\"say \\\"hi\\\"\"}}",
        text(TradingFrames.error("say \"hi\"")));
    TradeUpdate update = update(DOCS_FILL);
    assertEquals(parse(DOCS_FILL), parse(text(TradingFrames.update(update))), "the frame round-trips");
  }

  @Test
  void theUpstreamSpeaksAsTheSdksDo() {
    // alpaca-py trading/stream.py _auth and alpaca-trade-api-js websockets.js authenticate()
    assertEquals("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"K\",\"secret_key\":\"S\"}}",
        text(TradingFrames.authenticate("K", "S")));
    assertEquals("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}",
        text(TradingFrames.listen(List.of("trade_updates"))));
  }

  @Test
  void clientRequestsInBothAuthSpellingsAndListen() throws Exception {
    assertEquals(new TradingRequest.Authenticate("K", "S"), TradingRequest.parse(
        "{\"action\":\"authenticate\",\"data\":{\"key_id\":\"K\",\"secret_key\":\"S\"}}"));
    assertEquals(new TradingRequest.Authenticate("K", "S"),
        TradingRequest.parse("{\"action\":\"auth\",\"key\":\"K\",\"secret\":\"S\"}"));
    assertEquals(new TradingRequest.Listen(List.of("trade_updates", "account_updates")), TradingRequest.parse(
        "{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\",\"account_updates\"]}}"));
    assertFalse(new TradingRequest.Authenticate("K", "top-secret").toString().contains("top-secret"));
  }

  @Test
  void malformedRequestsSayWhatIsWrong() {
    assertEquals("invalid syntax", malformed("{nope"));
    assertEquals("invalid syntax", malformed("[1,2]"));
    assertEquals("missing action", malformed("{\"data\":{}}"));
    assertEquals("unrecognized action", malformed("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}"));
    assertEquals("missing key or secret", malformed("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"K\"}}"));
    assertEquals("missing key or secret", malformed("{\"action\":\"auth\",\"key\":\"K\",\"secret\":7}"));
    assertEquals("listen needs data.streams", malformed("{\"action\":\"listen\",\"data\":{}}"));
    assertEquals("stream names must be strings",
        malformed("{\"action\":\"listen\",\"data\":{\"streams\":[1]}}"));
  }

  private static String malformed(String text) {
    return assertThrows(TradingRequest.Malformed.class, () -> TradingRequest.parse(text)).getMessage();
  }

  private static TradeUpdate update(String frame) {
    return ((TradingFrames.Update) TradingFrames.decode(frame, RECEIVED)).update();
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }
}
