package io.tickrelay.trading;

import io.tickrelay.config.Credentials;
import io.tickrelay.delivery.ClientOutbox;
import java.time.Duration;

/**
 * What the {@code /stream} hub needs: the gateway-issued credentials, how long a client may take
 * to authenticate, its outbox limits, the largest client message it reads and how many clients it
 * holds at once.
 */
record TradingHubSettings(
    Credentials credentials, Duration authTimeout, ClientOutbox.Limits outbox, int maxMessageBytes,
    int maxConnections) {

  /** The credential's feed-list token that entitles it to trade updates ({@code *} too). */
  static final String ENTITLEMENT = TradingFrames.TRADE_UPDATES;
}
