package io.tickrelay.protocol;

import static io.tickrelay.protocol.ClientFrames.encode;
import static io.tickrelay.protocol.ClientFrames.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client messages (upstream-protocols.md §1.3-1.4) decoded from JSON text and from msgpack alike:
 * each case builds one message tree and sends it in both wire formats.
 */
class ClientDecodingTest {

  private static ClientMessage decode(WireFormat format, Object tree) throws ProtocolException {
    return format.codec().decodeClient(encode(format, tree));
  }

  private static void assertRejected(WireFormat format, Object tree, AlpacaError expected) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> decode(format, tree), () -> "input " + tree);
    assertEquals(expected, e.error(), () -> "input " + tree);
  }

  private static Interest interest(Object... channelsAndSymbols) {
    Map<Channel, List<String>> map = new EnumMap<>(Channel.class);
    for (int i = 0; i < channelsAndSymbols.length; i += 2) {
      map.put((Channel) channelsAndSymbols[i], Arrays.asList((String[]) channelsAndSymbols[i + 1]));
    }
    return Interest.of(map);
  }

  private static String[] symbols(String... symbols) {
    return symbols;
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void auth(WireFormat format) throws ProtocolException {
    assertEquals(
        new ClientMessage.Auth("PKTEST", "s3cr3t"),
        decode(format, obj("action", "auth", "key", "PKTEST", "secret", "s3cr3t")));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void subscribeWithSeveralChannelsAndWildcard(WireFormat format) throws ProtocolException {
    Object tree =
        obj(
            "action", "subscribe",
            "trades", List.of("AAPL"),
            "quotes", List.of("AMD", "CLDR"),
            "bars", List.of("*"),
            "dailyBars", List.of("BRK.B", "SPY"));
    assertEquals(
        new ClientMessage.Subscription(
            true,
            interest(
                Channel.TRADES, symbols("AAPL"),
                Channel.QUOTES, symbols("AMD", "CLDR"),
                Channel.BARS, symbols("*"),
                Channel.DAILY_BARS, symbols("BRK.B", "SPY"))),
        decode(format, tree));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void unsubscribeWithSeveralChannelsAndWildcard(WireFormat format) throws ProtocolException {
    Object tree =
        obj(
            "action", "unsubscribe",
            "quotes", List.of("FAKEPACA"),
            "updatedBars", List.of("*"),
            "statuses", List.of("AAPL", "*"),
            "lulds", List.of("IONM"),
            "imbalances", List.of("INAQU"));
    assertEquals(
        new ClientMessage.Subscription(
            false,
            interest(
                Channel.QUOTES, symbols("FAKEPACA"),
                Channel.UPDATED_BARS, symbols("*"),
                Channel.STATUSES, symbols("*", "AAPL"),
                Channel.LULDS, symbols("IONM"),
                Channel.IMBALANCES, symbols("INAQU"))),
        decode(format, tree));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void symbolFormsAcceptedUpToThirtyTwoCharacters(WireFormat format) throws ProtocolException {
    String longest = "A".repeat(32);
    ClientMessage message =
        decode(
            format,
            obj("action", "subscribe", "trades", List.of("BRK.B", "BTC/USD", "X", longest)));
    assertEquals(
        new ClientMessage.Subscription(
            true, interest(Channel.TRADES, symbols("BRK.B", "BTC/USD", "X", longest))),
        message);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void goSdkEmptyForeignChannelsAreIgnored(WireFormat format) throws ProtocolException {
    // the Go SDK sends every channel key on every stream (subscription.go getSubChangeMessage)
    Object tree =
        obj(
            "action", "subscribe",
            "trades", List.of("AAPL"),
            "quotes", List.of(),
            "bars", List.of(),
            "updatedBars", List.of(),
            "dailyBars", List.of(),
            "statuses", List.of(),
            "lulds", List.of(),
            "orderbooks", List.of(),
            "news", List.of());
    assertEquals(
        new ClientMessage.Subscription(true, interest(Channel.TRADES, symbols("AAPL"))),
        decode(format, tree));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void goSdkNilChannelListsAreIgnored(WireFormat format) throws ProtocolException {
    // vmihailenco/msgpack encodes the Go SDK's unused (nil) []string channels as nil, not []
    Object tree =
        obj(
            "action", "subscribe",
            "trades", List.of("AAPL"),
            "quotes", null,
            "bars", null,
            "orderbooks", null,
            "news", null);
    assertEquals(
        new ClientMessage.Subscription(true, interest(Channel.TRADES, symbols("AAPL"))),
        decode(format, tree));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void automaticTradeChannelsAreAcceptedAndIgnored(WireFormat format) throws ProtocolException {
    Object tree =
        obj(
            "action", "subscribe",
            "trades", List.of("AAPL"),
            "corrections", List.of("AAPL"),
            "cancelErrors", List.of("AAPL"));
    assertEquals(
        new ClientMessage.Subscription(true, interest(Channel.TRADES, symbols("AAPL"))),
        decode(format, tree));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void codecsOwnRequestsDecodeToWhatWasEncoded(WireFormat format) throws ProtocolException {
    WireCodec codec = format.codec();
    Interest wanted =
        interest(Channel.TRADES, symbols("AAPL", "*"), Channel.LULDS, symbols("BTC/USD"));
    assertEquals(
        new ClientMessage.Auth("key", "se\"cr\\et"),
        codec.decodeClient(codec.auth("key", "se\"cr\\et")));
    assertEquals(
        new ClientMessage.Subscription(true, wanted),
        codec.decodeClient(codec.subscriptionRequest(true, wanted)));
    assertEquals(
        new ClientMessage.Subscription(false, wanted),
        codec.decodeClient(codec.subscriptionRequest(false, wanted)));
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void nonObjectsAreInvalidSyntax(WireFormat format) {
    assertRejected(format, List.of(), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, List.of(obj("action", "auth")), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, "auth", AlpacaError.INVALID_SYNTAX);
    assertRejected(format, 42, AlpacaError.INVALID_SYNTAX);
    assertRejected(format, true, AlpacaError.INVALID_SYNTAX);
    assertRejected(format, null, AlpacaError.INVALID_SYNTAX);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void unknownOrMissingActionIsInvalidSyntax(WireFormat format) {
    assertRejected(format, obj("action", "listen"), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format, obj("action", "Subscribe", "trades", List.of("AAPL")), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, obj("action", 1), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, obj("key", "k", "secret", "s"), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, obj(), AlpacaError.INVALID_SYNTAX);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void authNeedsStringKeyAndSecret(WireFormat format) {
    assertRejected(format, obj("action", "auth", "secret", "s"), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, obj("action", "auth", "key", "k"), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format, obj("action", "auth", "key", 5, "secret", "s"), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format, obj("action", "auth", "key", "k", "secret", 5), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format, obj("action", "auth", "key", null, "secret", "s"), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format,
        obj("action", "auth", "key", "k", "secret", List.of("s")),
        AlpacaError.INVALID_SYNTAX);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void channelValueMustBeAList(WireFormat format) {
    assertRejected(
        format, obj("action", "subscribe", "trades", "AAPL"), AlpacaError.INVALID_SYNTAX);
    assertRejected(format, obj("action", "subscribe", "trades", 1), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format,
        obj("action", "subscribe", "trades", obj("AAPL", List.of())),
        AlpacaError.INVALID_SYNTAX);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void symbolsMustBeStrings(WireFormat format) {
    assertRejected(
        format, obj("action", "subscribe", "trades", List.of(5)), AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format,
        obj("action", "subscribe", "trades", Arrays.asList("AAPL", null)),
        AlpacaError.INVALID_SYNTAX);
    assertRejected(
        format,
        obj("action", "subscribe", "quotes", List.of(List.of("AAPL"))),
        AlpacaError.INVALID_SYNTAX);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void invalidSymbolFormatsAreInvalidSyntax(WireFormat format) {
    // "400 invalid syntax can also mean an invalid symbol format" (upstream-protocols.md §1.4)
    for (String symbol :
        List.of(
            "aapl", "Aapl", "A".repeat(33), "AA PL", " AAPL", "AAPL ", "", ".B", "**", "AAPL*")) {
      assertRejected(
          format,
          obj("action", "subscribe", "trades", List.of(symbol)),
          AlpacaError.INVALID_SYNTAX);
    }
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void unknownChannelWithSymbolsIsInvalidSubscribeAction(WireFormat format) {
    assertRejected(
        format,
        obj("action", "subscribe", "news", List.of("AAPL")),
        AlpacaError.INVALID_SUBSCRIBE_ACTION);
    assertRejected(
        format,
        obj("action", "unsubscribe", "trades", List.of(), "news", List.of("*")),
        AlpacaError.INVALID_SUBSCRIBE_ACTION);
  }

  @ParameterizedTest
  @EnumSource(WireFormat.class)
  void invalidSymbolInUnknownChannelIsStillInvalidSyntax(WireFormat format) {
    assertRejected(
        format,
        obj("action", "subscribe", "news", List.of("bad symbol")),
        AlpacaError.INVALID_SYNTAX);
  }
}
