package io.tickrelay.trading;

import io.tickrelay.config.Credentials;
import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.ControlRate;
import java.time.Duration;

/**
 * What the {@code /stream} hub needs: the gateway-issued credentials, how long a client may take
 * to authenticate, its outbox limits, the largest client message it reads, how many clients it
 * holds at once (per credential too, as on the market-data paths) and how many messages per second
 * a client may send (the same flood guard as the
 * market-data paths).
 */
record TradingHubSettings(
    Credentials credentials, Duration authTimeout, ClientOutbox.Limits outbox, int maxMessageBytes,
    int maxConnections, ControlRate.Limits controlRate, Entitlements entitlements) {

  /** The grant that entitles a credential to trade updates; always named, {@code *} is market data only. */
  static final String ENTITLEMENT = TradingFrames.TRADE_UPDATES;
}
