package io.tickrelay.trading;

import io.tickrelay.config.Credential;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.ControlRate;
import java.util.concurrent.ScheduledFuture;

/** One client on {@code /stream}: its outbox, its credential once authorized, whether it listens. */
final class TradingClient {

  final String id;
  final ClientOutbox outbox;
  final ControlRate controlRate;
  volatile Credential credential;
  volatile boolean listening;
  volatile ScheduledFuture<?> authDeadline;

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
