package io.tickrelay.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.TradeUpdate;
import io.tickrelay.upstream.FailureReaction;
import io.tickrelay.upstream.Frame;
import io.tickrelay.upstream.Inbound;
import io.tickrelay.upstream.UnreadableFrame;
import io.tickrelay.upstream.UpstreamProtocol;
import io.tickrelay.upstream.UpstreamSettings;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trading-stream adapter maps Alpaca's frames onto the shared upstream lifecycle. */
class TradingProtocolTest {

  private final TradingProtocol protocol =
      new TradingProtocol(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));

  @Test
  void itAuthenticatesFirstAndGoesLiveWhenAuthorized() throws Exception {
    assertEquals(Streams.TRADING, protocol.stream());
    URI url = URI.create("wss://paper-api.alpaca.markets/stream");
    assertEquals(url, protocol.target(url, "trade_updates", Interest.none()).uri());
    UpstreamProtocol.Conversation conversation =
        protocol.conversation(new UpstreamSettings.Credentials("K", "S"));
    UpstreamProtocol.Step first = conversation.opened();
    assertEquals(List.of(Frame.text("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"K\",\"secret_key\":\"S\"}}")),
        first.send());
    List<Inbound> authorized = protocol.decode(
        "{\"stream\":\"authorization\",\"data\":{\"status\":\"authorized\",\"action\":\"authenticate\"}}");
    UpstreamProtocol.Step live = conversation.progressed((Inbound.AuthProgress) authorized.get(0));
    assertTrue(live.live());
  }

  @Test
  void refusalsAndErrorsBecomeProviderErrorsWithAReaction() throws Exception {
    var refused = (Inbound.ProviderError) protocol.decode(
        "{\"stream\":\"authorization\",\"data\":{\"status\":\"unauthorized\",\"action\":\"authenticate\"}}").get(0);
    assertEquals(FailureReaction.RECONNECT_SLOWLY, protocol.classify(refused.code()).reaction());
    var early = (Inbound.ProviderError) protocol.decode(
        "{\"stream\":\"authorization\",\"data\":{\"status\":\"unauthorized\",\"action\":\"listen\"}}").get(0);
    assertEquals(FailureReaction.RECONNECT, protocol.classify(early.code()).reaction());
    var error = (Inbound.ProviderError) protocol.decode(
        "{\"action\":\"error\",\"data\":{\"error_message\":\"internal server error\"}}").get(0);
    assertEquals("internal server error", error.message());
    assertEquals(FailureReaction.RECONNECT, protocol.classify(error.code()).reaction());
  }

  @Test
  void updatesArriveInBinaryFramesAsWellAsText() throws Exception {
    byte[] binary = TradingFramesTest.DOCS_FILL.getBytes(StandardCharsets.UTF_8);
    var data = assertInstanceOf(Inbound.Data.class, protocol.decode(ByteBuffer.wrap(binary)).get(0));
    TradeUpdate update = (TradeUpdate) data.event();
    assertEquals("SOLUSD", update.symbol());
    assertEquals("fill", update.event());
    assertEquals(List.of(), protocol.decode("{\"stream\":\"account_updates\",\"data\":{}}"));
    assertThrows(UnreadableFrame.class, () -> protocol.decode("[{\"T\":\"success\"}]"));
  }

  @Test
  void demandBecomesTheCompleteListenSetAndListeningIsItsAck() throws Exception {
    var listen = protocol.requests(TradingProtocol.ALL, Interest.none());
    assertEquals(Frame.text("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}"),
        listen.get(0).frame());
    var stop = protocol.requests(Interest.none(), TradingProtocol.ALL);
    assertEquals(Frame.text("{\"action\":\"listen\",\"data\":{\"streams\":[]}}"), stop.get(0).frame());
    assertEquals(List.of(), protocol.requests(Interest.none(), Interest.none()));
    var ack = (Inbound.Ack) protocol.decode("{\"stream\":\"listening\",\"data\":{\"streams\":[\"trade_updates\"]}}").get(0);
    assertEquals(TradingProtocol.ALL, ack.state());
    var none = (Inbound.Ack) protocol.decode("{\"stream\":\"listening\",\"data\":{\"streams\":[]}}").get(0);
    assertEquals(Interest.none(), none.state());
  }
}
