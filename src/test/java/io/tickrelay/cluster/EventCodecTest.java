package io.tickrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.PassThrough;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The log's binary form: every payload and event type back exactly, versions refused cleanly. */
class EventCodecTest {

  @Test
  void everyMarketEventTypeIsSampled() {
    Set<Class<?>> sampled = LogSamples.events().stream().map(Object::getClass)
        .collect(Collectors.toSet());
    assertEquals(Set.of(MarketEvent.class.getPermittedSubclasses()), sampled,
        "a MarketEvent type the samples (and so the round trips) do not cover");
    Set<Class<?>> payloads = LogSamples.payloads().stream().map(Object::getClass)
        .collect(Collectors.toSet());
    assertEquals(EventCodec.PAYLOADS, payloads);
  }

  @Test
  void everyPayloadComesBackEqual() {
    for (Object payload : LogSamples.payloads()) {
      byte[] bytes = EventCodec.encode(payload);
      assertEquals(EventCodec.FORMAT, bytes[0], "the format byte leads");
      assertEquals(payload, EventCodec.decode(bytes), payload.getClass().getSimpleName());
    }
  }

  @Test
  void eachEventComesBackEqualOnItsOwn() {
    for (MarketEvent event : LogSamples.events()) {
      MarketDataReceived batch = new MarketDataReceived("stocks", "iex", List.of(event));
      assertEquals(batch, EventCodec.decode(EventCodec.encode(batch)), event.toString());
    }
  }

  @Test
  void passedThroughValuesKeepTheirJavaTypes() {
    PassThrough sample = (PassThrough) LogSamples.events().stream()
        .filter(e -> e instanceof PassThrough p && p.hasSymbol()).findFirst().orElseThrow();
    MarketDataReceived decoded = (MarketDataReceived) EventCodec.decode(
        EventCodec.encode(new MarketDataReceived("crypto/us", "us", List.of(sample))));
    PassThrough back = (PassThrough) decoded.events().get(0);
    assertEquals(List.copyOf(sample.fields().keySet()), List.copyOf(back.fields().keySet()),
        "field order kept");
    Map<?, ?> nested = (Map<?, ?>) back.fields().get("map");
    assertInstanceOf(BigInteger.class, nested.get("big"));
    assertInstanceOf(BigInteger.class, nested.get("neg"));
    assertInstanceOf(Long.class, back.fields().get("n"));
    assertTrue(nested.containsKey("z"), "a null value keeps its key");
    assertEquals(Double.doubleToRawLongBits(Double.NaN),
        Double.doubleToRawLongBits((Double) back.fields().get("nan")));
  }

  @Test
  void negativeZeroStaysNegative() {
    MarketDataReceived batch = new MarketDataReceived("stocks", "iex", List.of(
        new io.tickrelay.marketdata.Imbalance("X", -0.0, null, null)));
    MarketDataReceived back = (MarketDataReceived) EventCodec.decode(EventCodec.encode(batch));
    double price = ((io.tickrelay.marketdata.Imbalance) back.events().get(0)).price();
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(price));
  }

  @Test
  void aNewerFormatIsRefusedWithItsNumber() {
    byte[] bytes = EventCodec.encode(LogSamples.payloads().get(0));
    bytes[0] = 2;
    UnreadableEntry refused = assertThrows(UnreadableEntry.class, () -> EventCodec.decode(bytes));
    assertEquals("log format 2, this node reads format 1", refused.getMessage());
  }

  @Test
  void brokenBytesAreUnreadableNotACrash() {
    byte[] whole = EventCodec.encode(LogSamples.payloads().get(0));
    for (int cut = 0; cut < whole.length; cut += 7) {
      byte[] truncated = Arrays.copyOf(whole, cut);
      assertThrows(UnreadableEntry.class, () -> EventCodec.decode(truncated), "cut at " + cut);
    }
    byte[] trailing = Arrays.copyOf(whole, whole.length + 1);
    assertThrows(UnreadableEntry.class, () -> EventCodec.decode(trailing));
    byte[] unknownType = {1, 0x7f};
    assertThrows(UnreadableEntry.class, () -> EventCodec.decode(unknownType));
  }

  @Test
  void anUnknownPayloadTypeIsACallerError() {
    assertThrows(IllegalArgumentException.class, () -> EventCodec.encode("a string"));
    assertThrows(IllegalArgumentException.class, () -> EventCodec.encode(null));
  }

  @Test
  void theEncodingIsCompact() {
    byte[] trade = EventCodec.encode(new MarketDataReceived("stocks", "iex", List.of(
        LogSamples.events().get(0))));
    assertTrue(trade.length < 64, "one trade in " + trade.length + " bytes");
    assertArrayEquals(trade, EventCodec.encode(EventCodec.decode(trade)), "stable bytes");
  }
}
