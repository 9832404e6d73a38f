package io.tickrelay.upstream;

import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import java.util.List;

/** Receives what a connection produces: state changes, market data and lifecycle moments. */
public interface UpstreamListener {

  void stateChanged(UpstreamStateChanged change);

  void received(MarketDataReceived data);

  /**
   * Market data with the identity of each event ({@link Inbound.Data#identity()}, null entries
   * allowed), or {@code identities} null when the protocol gave none; by default the identities are
   * not needed.
   */
  default void received(MarketDataReceived data, List<Object> identities) {
    received(data);
  }

  /** The session is live and every subscription request sent so far is answered (once per session). */
  default void settled() {}

  /** The session reached {@link UpstreamProtocol#maxSessionAge()}: it should be replaced. */
  default void sessionAged() {}

  /**
   * The connection is live on a fallback feed and its re-probe period passed: the owner brings up
   * a probe of the preferred feed on a second connection ({@link UpstreamConnection#probe()}),
   * make-before-break. Repeats every period while the connection stays on the fallback.
   */
  default void reprobeDue() {}

  /** A probe connection failed before it settled and stopped itself; {@code why} says how. */
  default void probeFailed(String why) {}

  /**
   * The provider refused part of the demand (Alpaca 405); the connection no longer holds it and the
   * clients that asked for it are to be told.
   */
  default void subscriptionRefused(SubscriptionRefused refused) {}

  /** The connection went live on a feed. */
  default void feedSelected(FeedSelected selected) {}

  /** A stream's data stopped without a plan ({@link ConnectionGroup} decides; gap markers follow). */
  default void interrupted(UpstreamInterrupted interrupted) {}

  /** The outage {@link #interrupted} announced is over. */
  default void restored(UpstreamRestored restored) {}
}
