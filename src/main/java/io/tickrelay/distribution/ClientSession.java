package io.tickrelay.distribution;

import io.tickrelay.config.Credential;
import io.tickrelay.delivery.Outbox;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.protocol.WireCodec;
import io.tickrelay.protocol.WireFormat;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.concurrent.ScheduledFuture;

/** One connected client: its feed, wire format, credential once authenticated, and subscriptions. */
final class ClientSession {

  private final Session session;
  private final String feed;
  private final WireCodec codec;
  private final Outbox outbox;

  private volatile Credential credential;
  /** Guarded by the {@link Subscriptions} lock: changes must stay in step with the index. */
  private Interest subscriptions = Interest.none();
  private int failedAuths;
  private ScheduledFuture<?> authDeadline;

  ClientSession(Session session, String feed, WireFormat format, int outboxFrames) {
    this.session = session;
    this.feed = feed;
    this.codec = format.codec();
    this.outbox = new Outbox(session, format == WireFormat.MSGPACK, outboxFrames);
  }

  String id() {
    return session.getId();
  }

  String feed() {
    return feed;
  }

  WireCodec codec() {
    return codec;
  }

  Outbox outbox() {
    return outbox;
  }

  boolean authenticated() {
    return credential != null;
  }

  Credential credential() {
    return credential;
  }

  synchronized void authenticatedAs(Credential credential) {
    this.credential = credential;
    if (authDeadline != null) {
      authDeadline.cancel(false);
    }
  }

  synchronized int failedAuth() {
    return ++failedAuths;
  }

  synchronized void authDeadline(ScheduledFuture<?> deadline) {
    this.authDeadline = deadline;
  }

  synchronized void cancelTimers() {
    if (authDeadline != null) {
      authDeadline.cancel(false);
    }
  }

  Interest subscriptions() {
    return subscriptions;
  }

  void subscriptions(Interest subscriptions) {
    this.subscriptions = subscriptions;
  }

  void send(byte[] frame) {
    if (!outbox.offer(frame)) {
      outbox.abort(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client"));
    }
  }

  /** Sends an Alpaca error and closes the session after it (404, 407, 409 and the like). */
  void fail(AlpacaError error) {
    outbox.finish(
        codec.error(error),
        new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, error.message()));
  }

  String describe() {
    Credential c = credential;
    return "client " + id() + " on " + feed + (c == null ? "" : " as " + c.key());
  }
}
