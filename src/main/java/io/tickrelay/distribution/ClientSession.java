package io.tickrelay.distribution;

import io.tickrelay.admission.Slot;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.config.Credential;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.WireCodec;
import io.tickrelay.protocol.WireFormat;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One connected client: its path (stream and feed), wire format, credential once authenticated, subscriptions,
 * opt-in extensions and outbox. Subscriptions, options, the rate cap and the resume bookkeeping are
 * guarded by the fan-out lock, so they change in step with the index the fan-out reads. Once
 * {@link #closed()}, nothing may put it back into an index or count it for a credential.
 */
final class ClientSession {

  private final String id;
  private final StreamPath path;
  private final WireCodec codec;
  private final ClientOutbox outbox;
  private final ControlRate controlRate;
  private final BiConsumer<ClientSession, AlpacaError> dismissal;

  private volatile Slot slot;
  private volatile boolean closed;
  private volatile Credential credential;
  private Interest subscriptions = Interest.none();
  private ClientMessage.Options options = ClientMessage.Options.NONE;
  private RateCap rateCap;
  private boolean releaseScheduled;
  private int failedAuths;
  private long resumeFrom = -1;
  /** The highest {@code x-seq} this client was sent; guarded by the stream's fan-out lock. */
  private long highestSeqSent;
  private final java.util.Map<GapBook.Key, Long> deliveredAfter = new java.util.HashMap<>();
  /** The last acknowledgement and the state it told; guarded by the stream's fan-out lock. */
  private Interest ackedState;
  private byte[] ack;
  private volatile Consumer<ClientSession> onSlow = c -> {};
  private volatile Runnable onInbound = () -> {};

  /** @param dismissal sends an error and lets the client go (the hub's close policy) */
  ClientSession(String id, StreamPath path, WireFormat format, ClientOutbox outbox, ControlRate rate,
      BiConsumer<ClientSession, AlpacaError> dismissal) {
    this.dismissal = dismissal;
    this.id = id;
    this.path = path;
    this.codec = format.codec();
    this.outbox = outbox;
    this.controlRate = rate;
  }

  String id() {
    return id;
  }

  StreamPath path() {
    return path;
  }

  /** The feed or location named in the path ({@code iex}, {@code us}, {@code channels}). */
  String feed() {
    return path.name();
  }

  String stream() {
    return path.stream();
  }

  WireCodec codec() {
    return codec;
  }

  WireFormat format() {
    return codec.format();
  }

  ClientOutbox outbox() {
    return outbox;
  }

  ControlRate controlRate() {
    return controlRate;
  }

  boolean authenticated() {
    return credential != null;
  }

  Credential credential() {
    return credential;
  }

  /** After the admission granted the credential's claim (which cancelled the auth deadline). */
  void authenticatedAs(Credential credential) {
    this.credential = credential;
  }

  synchronized int failedAuth() {
    return ++failedAuths;
  }

  /** Its standing with the admission: address, deadline, the credential it counts against. */
  Slot slot() {
    return slot;
  }

  void slot(Slot slot) {
    this.slot = slot;
  }

  /** Whether the hub let it go; set before its subscriptions are forgotten. */
  boolean closed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  Interest subscriptions() {
    return subscriptions;
  }

  void subscriptions(Interest subscriptions) {
    this.subscriptions = subscriptions;
  }

  ClientMessage.Options options() {
    return options;
  }

  void options(ClientMessage.Options options) {
    this.options = options;
  }

  /** The {@code seq} of the client's accepted {@code x-resume}, -1 when it sent none. */
  long resumeFrom() {
    return resumeFrom;
  }

  void resumeFrom(long seq) {
    this.resumeFrom = seq;
  }

  /**
   * The sequence number after which this connection has had every message of {@code key} (live
   * since it subscribed, or replayed); null when it never subscribed to it.
   */
  long highestSeqSent() {
    return highestSeqSent;
  }

  void sentSeq(long seq) {
    highestSeqSent = Math.max(highestSeqSent, seq);
  }

  Long deliveredAfter(GapBook.Key key) {
    return deliveredAfter.get(key);
  }

  /** Lowers (or sets) the point after which the client has had everything of each key. */
  void deliveredAfter(Iterable<GapBook.Key> keys, long seq) {
    for (GapBook.Key key : keys) {
      deliveredAfter.merge(key, seq, Math::min);
    }
  }

  /** Null when the client set no per-symbol rate cap. */
  RateCap rateCap() {
    return rateCap;
  }

  void rateCap(RateCap rateCap) {
    this.rateCap = rateCap;
  }

  /** Whether a release of held messages is already scheduled; sets it. */
  boolean scheduleRelease() {
    boolean already = releaseScheduled;
    releaseScheduled = true;
    return !already;
  }

  void releaseRan() {
    releaseScheduled = false;
  }

  /** Who hears that a control frame made this client slow (its outbox then closes it). */
  void onSlow(Consumer<ClientSession> onSlow) {
    this.onSlow = onSlow;
  }

  /** What to tell, on the reading thread, for every message the peer sends. */
  void onInbound(Runnable action) {
    onInbound = action;
  }

  /** The peer sent a message (any, well-formed or not). */
  void inbound() {
    onInbound.run();
  }

  /** Queues a control frame; it counts against the outbox's limits like data. */
  void send(byte[] controlFrame) {
    if (outbox.control(controlFrame) == ClientOutbox.Offer.SLOW) {
      onSlow.accept(this);
    }
  }

  /** The encoded acknowledgement of {@code state} if it was the last one sent, else null. */
  byte[] ackOf(Interest state) {
    return state == ackedState ? ack : null;
  }

  void acked(Interest state, byte[] encoded) {
    this.ackedState = state;
    this.ack = encoded;
  }

  /**
   * Sends an Alpaca error and closes the session after it (404, 409 and the like), without
   * waiting for a peer that does not read: the hub lets it go at once.
   */
  void fail(AlpacaError error) {
    dismissal.accept(this, error);
  }

  String describe() {
    Credential c = credential;
    return "client " + id + " on " + path + (c == null ? "" : " as " + c.key());
  }
}
