package io.tickrelay.binance;

import io.tickrelay.marketdata.MarketEvent;
import java.util.List;

/** What one text frame from a Binance market stream connection says, once decoded. */
public sealed interface BinanceFrame {

  /** Market data, normalized; empty for an open kline update (see {@link BinanceFrames}). */
  record Data(String stream, List<Normalized> events) implements BinanceFrame {
    public Data {
      events = List.copyOf(events);
    }
  }

  /**
   * A normalized event and its identity across connections: events of one {@code key} carry an
   * increasing {@code sequence} (trade id, bookTicker {@code u}, kline open time), so that during a
   * make-before-break rotation the second copy of an event can be recognized and dropped.
   */
  record Normalized(MarketEvent event, String key, long sequence) {}

  /** {@code {"result":...,"id":...}}: the answer to a request; {@code id} as the raw JSON text. */
  record Reply(String id, String result) implements BinanceFrame {}

  /** {@code {"error":{"code":..,"msg":..},"id":...}}: a request was refused. */
  record Failure(String id, int code, String message) implements BinanceFrame {}

  /** {@code serverShutdown}: the server is going away; reconnect as soon as possible (§2.3). */
  record ServerShutdown(long eventTimeMs) implements BinanceFrame {}

  /** A frame the gateway has no use for (an unknown stream or symbol, malformed JSON). */
  record Ignored(String why) implements BinanceFrame {}
}
