package io.tickrelay.distribution;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.CryptoBar;
import io.tickrelay.marketdata.CryptoQuote;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.protocol.GatewayMessages;
import io.tickrelay.protocol.WireFormat;

/**
 * One event as the client stream carries it: its sequence number and its encodings, made once per
 * (wire format, with or without {@code x-seq}) and shared by every client that gets it.
 */
final class Streamed {

  /** Quotes and bars of one type and symbol replace each other when a client falls behind. */
  record ConflationKey(Class<?> type, Object kind, String symbol) {}

  private final long seq;
  private final MarketEvent event;
  private final ConflationKey key;
  private final long eventNanos;
  private final byte[][] encodings = new byte[WireFormat.values().length * 2][];

  Streamed(long seq, MarketEvent event) {
    this.seq = seq;
    this.event = event;
    // only quotes and bars conflate: a newer one says all an older one said. Trades, corrections,
    // cancels, statuses, LULD bands, imbalances, order-book changes (a delta replaced by the next
    // would lose its levels), trade updates, published and passed-through events each matter;
    // a bar's kind (minute, daily, updated) is part of its key
    this.key =
        event instanceof Quote
                || event instanceof CryptoQuote
                || event instanceof Bar
                || event instanceof CryptoBar
            ? new ConflationKey(event.getClass(), event.channel(), event.symbol())
            : null;
    java.time.Instant t = event.timestamp();
    this.eventNanos = t == null ? 0 : t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** The upstream timestamp in epoch nanoseconds, 0 when the event had none. */
  long eventNanos() {
    return eventNanos;
  }

  long seq() {
    return seq;
  }

  MarketEvent event() {
    return event;
  }

  /** Null for a message that must never be conflated. */
  ConflationKey key() {
    return key;
  }

  /** Callers hold the fan-out lock, so each encoding is made exactly once. */
  byte[] bytes(WireFormat format, boolean withSeq) {
    int slot = format.ordinal() * 2 + (withSeq ? 1 : 0);
    byte[] bytes = encodings[slot];
    if (bytes == null) {
      bytes = withSeq ? GatewayMessages.event(format, event, seq) : format.codec().event(event);
      encodings[slot] = bytes;
    }
    return bytes;
  }
}
