package io.tickrelay.distribution;

import io.tickrelay.config.Entitlements;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.config.Credentials;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.DirectWriter;
import io.tickrelay.marketdata.SymbolListing;
import java.time.Duration;

/**
 * Everything the client side is configured with, gathered so {@link ClientHub} runs the same in
 * the container and in component tests.
 *
 * @param maxClients connections the gateway accepts at once, authenticated or not ({@code 406})
 * @param slowCloseGrace how long a client cut off as slow gets to take its {@code 407} before its
 *     socket is closed regardless
 * @param journalSize events kept for {@code x-resume}
 * @param maxMessageBytes the largest client message answered normally; larger is {@code 400}
 * @param fanoutQueue upstream frames waiting for the fan-out thread before the upstream waits
 * @param batchWindow how long the fan-out gathers upstream frames into one round; zero: no wait
 * @param directWrites blocking writes from the gateway's writer thread; null: asynchronous sends
 * @param upstreamLinger how long an upstream subscription stays after its last client left
 * @param listing the symbols providers list, for the streams whose symbols are checked ({@link
 *     Grants})
 */
record HubSettings(
    Credentials credentials,
    Entitlements entitlements,
    Duration authTimeout,
    int maxClients,
    ClientOutbox.Limits outbox,
    Duration slowCloseGrace,
    int journalSize,
    ControlRate.Limits controlRate,
    int maxMessageBytes,
    int fanoutQueue,
    Duration batchWindow,
    DirectWriter.Settings directWrites,
    Duration upstreamLinger,
    SymbolListing listing) {

  /** Without a symbol listing: every stream takes any symbol. */
  HubSettings(
      Credentials credentials,
      Entitlements entitlements,
      Duration authTimeout,
      int maxClients,
      ClientOutbox.Limits outbox,
      Duration slowCloseGrace,
      int journalSize,
      ControlRate.Limits controlRate,
      int maxMessageBytes,
      int fanoutQueue,
      Duration batchWindow,
      DirectWriter.Settings directWrites,
      Duration upstreamLinger) {
    this(credentials, entitlements, authTimeout, maxClients, outbox, slowCloseGrace, journalSize,
        controlRate, maxMessageBytes, fanoutQueue, batchWindow, directWrites, upstreamLinger,
        SymbolListing.NONE);
  }

  /** Without linger: upstream subscriptions go with their last client. */
  HubSettings(
      Credentials credentials,
      Entitlements entitlements,
      Duration authTimeout,
      int maxClients,
      ClientOutbox.Limits outbox,
      Duration slowCloseGrace,
      int journalSize,
      ControlRate.Limits controlRate,
      int maxMessageBytes,
      int fanoutQueue,
      Duration batchWindow,
      DirectWriter.Settings directWrites) {
    this(credentials, entitlements, authTimeout, maxClients, outbox, slowCloseGrace, journalSize,
        controlRate, maxMessageBytes, fanoutQueue, batchWindow, directWrites, Duration.ZERO);
  }

  HubSettings withLinger(Duration linger) {
    return new HubSettings(credentials, entitlements, authTimeout, maxClients, outbox,
        slowCloseGrace, journalSize, controlRate, maxMessageBytes, fanoutQueue, batchWindow,
        directWrites, linger, listing);
  }

  HubSettings withListing(SymbolListing symbols) {
    return new HubSettings(credentials, entitlements, authTimeout, maxClients, outbox,
        slowCloseGrace, journalSize, controlRate, maxMessageBytes, fanoutQueue, batchWindow,
        directWrites, upstreamLinger, symbols);
  }
}
