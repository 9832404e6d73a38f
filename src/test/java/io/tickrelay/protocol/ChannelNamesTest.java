package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickrelay.marketdata.Channel;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Subscribing to published channels by the names producers publish on (lower case), not tickers. */
class ChannelNamesTest {

  private static ClientMessage.Subscription subscription(String json) throws ProtocolException {
    return (ClientMessage.Subscription) GatewayMessages.decode(json);
  }

  @Test
  void publishedChannelNamesAreAccepted() throws ProtocolException {
    ClientMessage.Subscription subscribe =
        subscription("{\"action\":\"subscribe\",\"channels\":[\"signals\",\"desk-1.eu_x\",\"*\"]}");
    assertEquals(new java.util.TreeSet<>(Set.of("signals", "desk-1.eu_x", "*")),
        subscribe.interest().symbols(Channel.PUBLISHED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Signals", "-x", "sig nals", ""})
  void otherChannelNamesAreInvalidSyntax(String name) {
    ProtocolException error = assertThrows(ProtocolException.class,
        () -> subscription("{\"action\":\"subscribe\",\"channels\":[\"" + name + "\"]}"));
    assertEquals(AlpacaError.INVALID_SYNTAX, error.error());
  }

  @Test
  void tickersStayUpperCase() {
    assertThrows(ProtocolException.class,
        () -> subscription("{\"action\":\"subscribe\",\"trades\":[\"signals\"]}"));
  }
}
