package io.tickrelay.trading;

import io.tickrelay.admission.Slot;
import io.tickrelay.config.Credential;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.ControlRate;

/**
 * One client on {@code /stream}: its outbox, its standing with the admission, its credential once
 * authorized, whether it listens, and whether the hub let it go.
 */
final class TradingClient {

  final String id;
  final ClientOutbox outbox;
  final ControlRate controlRate;
  volatile Credential credential;
  volatile boolean listening;
  volatile Slot slot;
  volatile boolean closed;

  TradingClient(String id, ClientOutbox outbox, ControlRate controlRate) {
    this.controlRate = controlRate;
    this.id = id;
    this.outbox = outbox;
  }

  String describe() {
    Credential c = credential;
    return "trading client " + id + (c == null ? "" : " (key " + c.key() + ")");
  }
}
