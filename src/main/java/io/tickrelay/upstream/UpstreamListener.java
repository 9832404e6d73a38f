package io.tickrelay.upstream;

import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.MarketDataReceived;

/** Receives what a connection produces: state changes and market data. */
public interface UpstreamListener {

  void stateChanged(UpstreamStateChanged change);

  void received(MarketDataReceived data);

  /** The connection went live on a feed. */
  default void feedSelected(FeedSelected selected) {}
}
