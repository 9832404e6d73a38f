package io.tickrelay.upstream;

import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;

/** One item decoded from an upstream frame by an {@link UpstreamProtocol}. */
public sealed interface Inbound {

  /**
   * A market-data event.
   *
   * @param stream the gateway stream it belongs to; {@code null} = the protocol's {@link
   *     UpstreamProtocol#stream()}
   * @param identity equal for the same event received on two sessions of one stream (Binance: the
   *     trade id with the symbol), so events in a planned rotation's overlap are forwarded once;
   *     {@code null} when the provider gives none (then only the newer session's copy is kept
   *     once it is live, see {@link UpstreamProtocol#maxSessionAge()})
   */
  record Data(MarketEvent event, String stream, Object identity) implements Inbound {
    public Data(MarketEvent event) {
      this(event, null, null);
    }
  }

  /** A step of the post-open conversation (Alpaca {@code connected}, {@code authenticated}). */
  record AuthProgress(String step) implements Inbound {}

  /**
   * A subscription request was accepted.
   *
   * @param id the request's id, {@code null} for the oldest request still unanswered
   * @param state the provider's full subscription state when it says so, else {@code null}
   */
  record Ack(Object id, Interest state) implements Inbound {}

  /** The provider reported an error; {@code id} names the request it answers, if any. */
  record ProviderError(int code, String message, Object id) implements Inbound {
    public ProviderError(int code, String message) {
      this(code, message, null);
    }
  }
}
