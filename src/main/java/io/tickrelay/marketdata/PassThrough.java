package io.tickrelay.marketdata;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A data message of a type the gateway does not model (a type Alpaca adds later, crypto perps
 * pricing {@code T:"p"}), relayed as the provider sent it so that it does not vanish.
 *
 * <p>It belongs to no one channel: it goes to every client subscribed to its symbol on any channel
 * of the stream (or to {@code *}), and to every client with a subscription when it has no symbol.
 *
 * @param type the provider's {@code T}
 * @param symbol the provider's {@code S}, empty when it had none
 * @param timestamp {@code t} when it is a timestamp, else null
 * @param fields every field but {@code T}, in the order received; values are decoded wire values
 *     (String, Long, BigInteger, Double, Boolean, null, Instant, and Lists and Maps of them), and a
 *     {@code t} read as {@code timestamp} stays the text it was sent as
 */
public record PassThrough(String type, String symbol, Instant timestamp, Map<String, Object> fields)
    implements MarketEvent {

  public PassThrough {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Null: not one channel (see the class comment); distribution routes it by symbol alone. */
  @Override
  public Channel channel() {
    return null;
  }

  /** Whether it carries a symbol to route by. */
  public boolean hasSymbol() {
    return !symbol.isEmpty();
  }
}
