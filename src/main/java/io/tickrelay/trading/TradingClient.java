package io.tickrelay.trading;

import io.tickrelay.config.Credential;
import io.tickrelay.delivery.ClientOutbox;
import java.util.concurrent.ScheduledFuture;

/** One client on {@code /stream}: its outbox, its credential once authorized, whether it listens. */
final class TradingClient {

  final String id;
  final ClientOutbox outbox;
  volatile Credential credential;
  volatile boolean listening;
  volatile ScheduledFuture<?> authDeadline;

  TradingClient(String id, ClientOutbox outbox) {
    this.id = id;
    this.outbox = outbox;
  }

  String describe() {
    Credential c = credential;
    return "trading client " + id + (c == null ? "" : " (key " + c.key() + ")");
  }
}
