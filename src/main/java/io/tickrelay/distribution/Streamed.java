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
 * (wire format, with or without {@code x-seq}) and shared by every client that gets it; or a gap
 * marker ({@code x-gap}), numbered in the same sequence but encoded per client, since each client
 * is told only about its own subscriptions.
 */
final class Streamed {

  /** Quotes and bars of one type and symbol replace each other when a client falls behind. */
  record ConflationKey(Class<?> type, Object kind, String symbol) {}

  private final long seq;
  private final MarketEvent event;
  private final GatewayMessages.Gap gap;
  private final boolean live;
  private final ConflationKey key;
  private final long eventNanos;
  private final byte[][] encodings = new byte[WireFormat.values().length * 2][];
  /** Why an encoding failed, null while none did; see {@link #bytes}. */
  private RuntimeException failure;

  /** Stands in an encoding slot for one that failed, so it is tried once, not per client. */
  private static final byte[] UNENCODABLE = new byte[0];

  /**
   * A gap marker; {@code live} false for one that only replays carry (a demand marker, written
   * when nobody could receive it live or when the client that caused it is told by the replay).
   */
  Streamed(long seq, GatewayMessages.Gap gap, boolean live) {
    this.seq = seq;
    this.event = null;
    this.gap = gap;
    this.live = live;
    this.key = null;
    this.eventNanos = 0;
  }

  Streamed(long seq, MarketEvent event) {
    this.seq = seq;
    this.event = event;
    this.gap = null;
    this.live = true;
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

  /** Null for a gap marker. */
  MarketEvent event() {
    return event;
  }

  /** Null for a market event. */
  GatewayMessages.Gap gap() {
    return gap;
  }

  /** False for a marker that only replays carry. */
  boolean live() {
    return live;
  }

  /** Null for a message that must never be conflated. */
  ConflationKey key() {
    return key;
  }

  /**
   * Callers hold the fan-out lock, so each encoding is made exactly once. Null when the event
   * cannot be encoded in this form ({@link #failure()} says why): the encoders take every value a
   * decoder produces, so that would be a bug, and it must cost only this message, not the rest of
   * the fan-out round or a resuming client's replay.
   */
  byte[] bytes(WireFormat format, boolean withSeq) {
    int slot = format.ordinal() * 2 + (withSeq ? 1 : 0);
    byte[] bytes = encodings[slot];
    if (bytes == null) {
      try {
        bytes = withSeq ? GatewayMessages.event(format, event, seq) : format.codec().event(event);
      } catch (RuntimeException e) {
        failure = e;
        bytes = UNENCODABLE;
      }
      encodings[slot] = bytes;
    }
    return bytes == UNENCODABLE ? null : bytes;
  }

  /** The failure that made {@link #bytes} return null, else null. */
  RuntimeException failure() {
    return failure;
  }
}
