package io.tickrelay.trading;

import io.tickrelay.admission.Admission;
import io.tickrelay.admission.Printable;
import io.tickrelay.admission.Refusal;
import io.tickrelay.admission.RemoteAddress;
import io.tickrelay.admission.Slot;
import io.tickrelay.config.Credential;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.delivery.SessionSink;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.marketdata.TradeUpdate;
import io.tickrelay.protocol.HandshakeCapture;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The clients of {@code /stream}, speaking Alpaca's trading-stream protocol (package docs):
 * authenticate with a gateway credential entitled to {@code trade_updates}, listen, and receive
 * every trade update through a {@link ClientOutbox} each (one send in flight, bounded, slow clients
 * cut off). Bad input gets an error message and harms no one else. Who may connect, for how long
 * unauthenticated and how many connections a credential holds is the {@link Admission}'s call,
 * shared with the market-data hub. Container-independent.
 */
final class TradingHub {

  private static final Logger LOG = Logger.getLogger(TradingHub.class.getName());
  private static final CloseReason UNAUTHORIZED =
      new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "unauthorized");
  private static final byte[] SLOW = TradingFrames.error("slow client");
  private static final CloseReason SLOW_CLOSE =
      new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client");

  private final TradingHubSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Consumer<DemandChanged> demand;
  private final LongSupplier nanoTime;
  private final Set<TradingClient> clients = ConcurrentHashMap.newKeySet();
  private final Admission admission;
  private int listeners;

  /**
   * @param demand gets {@code trade_updates} added when the first client starts listening and
   *     removed when the last stops; called under the hub's lock, so that the changes keep their
   *     order, and so it must not block
   */
  TradingHub(
      TradingHubSettings settings, ScheduledExecutorService scheduler, Consumer<DemandChanged> demand,
      LongSupplier nanoTime) {
    this(settings, scheduler, demand, nanoTime, new Admission(
        Admission.Limits.of(settings.maxConnections(), settings.authTimeout(), Duration.ofSeconds(5)),
        scheduler, nanoTime));
  }

  /** @param admission shared with every other client-facing hub */
  TradingHub(
      TradingHubSettings settings, ScheduledExecutorService scheduler, Consumer<DemandChanged> demand,
      LongSupplier nanoTime, Admission admission) {
    this.admission = admission;
    this.settings = settings;
    this.scheduler = scheduler;
    this.demand = demand;
    this.nanoTime = nanoTime;
  }

  TradingClient opened(Session session) {
    // JSON in binary frames, as Alpaca's paper endpoint sends them; one message per frame
    ClientOutbox outbox = new ClientOutbox(new SessionSink(session, true), messages -> messages.get(0),
        new ClientOutbox.Limits(settings.outbox().maxPending(), settings.outbox().slowAfter(), 1),
        SLOW, nanoTime);
    TradingClient client = new TradingClient(
        session.getId(), outbox, new ControlRate(settings.controlRate(), nanoTime.getAsLong()));
    String address = RemoteAddress.of(HandshakeCapture.headers(session.getUserProperties()));
    // the deadline holds until an authentication succeeds
    Slot slot = admission.connect(address, () -> authTimedOut(client));
    client.slot = slot;
    if (slot.refusal() != null) {
      LOG.info(() -> "trading client " + client.id + ": refused (" + slot.refusal().key() + "), "
          + admission.open() + " clients held");
      CloseReason reason = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER,
          slot.refusal() == Refusal.CONNECTION_CAP
              ? "connection limit exceeded" : "too many unauthenticated connections");
      outbox.finish(TradingFrames.error("connection limit exceeded"), reason);
      abortAfterGrace(client, reason);
      return client;
    }
    clients.add(client);
    return client;
  }

  void text(TradingClient client, String text) {
    if (!clients.contains(client)) {
      return; // refused at open
    }
    if (client.outbox.pending() >= settings.outbox().maxPending()) {
      // answers pile up unread: a control frame is never dropped, so the sender is cut off instead
      LOG.info(() -> client.describe() + ": cut off, " + client.outbox.pending() + " answers unread");
      admission.refusals().count(Refusal.SLOW);
      closed(client);
      client.outbox.abort(SLOW_CLOSE);
      return;
    }
    if (!admitted(client)) {
      return;
    }
    if (text.length() > settings.maxMessageBytes()) {
      client.outbox.control(TradingFrames.error("message too long"));
      return;
    }
    TradingRequest request;
    try {
      request = TradingRequest.parse(text);
    } catch (TradingRequest.Malformed e) {
      client.outbox.control(TradingFrames.error(e.getMessage()));
      return;
    }
    if (request instanceof TradingRequest.Authenticate auth) {
      authenticate(client, auth);
    } else if (request instanceof TradingRequest.Listen listen) {
      listen(client, listen.streams());
    }
  }

  /** The flood guard: every message spends a token; past the rate, refused, then closed. */
  private boolean admitted(TradingClient client) {
    switch (client.controlRate.admit(nanoTime.getAsLong())) {
      case ALLOW:
        return true;
      case REFUSE_AND_ANSWER:
        client.outbox.control(TradingFrames.error("too many requests"));
        return false;
      case CLOSE:
        LOG.info(() -> client.describe() + ": closed for flooding");
        admission.refusals().count(Refusal.FLOOD);
        dismiss(client, TradingFrames.error("too many requests"),
            new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "too many requests"));
        return false;
      default:
        return false;
    }
  }

  void binary(TradingClient client, byte[] frame) {
    // the SDKs send text, but a binary frame of JSON is what the server sends: accept it too
    text(client, new String(frame, StandardCharsets.UTF_8));
  }

  /**
   * The client is gone, or being let go without waiting for its peer: it stops listening and its
   * slot and credential count are given back, once. Marked closed first, so a listen or an
   * authentication handled meanwhile changes nothing.
   */
  void closed(TradingClient client) {
    client.closed = true;
    if (clients.remove(client)) {
      setListening(client, false);
      admission.release(client.slot);
    }
  }

  /** Sends each update to every listening client, encoded once. */
  void publish(List<TradeUpdate> updates) {
    List<ClientOutbox.Item> items = new ArrayList<>(updates.size());
    for (TradeUpdate update : updates) {
      items.add(new ClientOutbox.Item(TradingFrames.update(update), null,
          update.timestamp().getEpochSecond() * 1_000_000_000L + update.timestamp().getNano()));
    }
    for (TradingClient client : clients) {
      if (client.listening && client.outbox.data(items) == ClientOutbox.Offer.SLOW) {
        // its 407-style frame waits behind what it did not read: let it go now, abort after grace
        LOG.info(() -> client.describe() + ": cut off as slow");
        admission.refusals().count(Refusal.SLOW);
        closed(client);
        abortAfterGrace(client, SLOW_CLOSE);
      }
    }
  }

  int clients() {
    return clients.size();
  }

  synchronized int listeners() {
    return listeners;
  }

  void closeAll() {
    for (TradingClient client : clients) {
      admission.release(client.slot);
      client.outbox.abort(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gateway stopping"));
    }
    clients.clear();
  }

  private void authenticate(TradingClient client, TradingRequest.Authenticate auth) {
    if (client.credential != null) {
      // switching credential on the socket would move its connection count: refused, as the
      // market-data paths answer 403 (L4 in the reliability review)
      admission.refusals().count(Refusal.ALREADY_AUTHENTICATED);
      client.outbox.control(TradingFrames.error("already authenticated"));
      return;
    }
    if (admission.throttled(client.slot, auth.key())) {
      LOG.info(() -> "trading client " + client.id + ": auth throttled for key "
          + Printable.of(auth.key()));
      dismiss(client, TradingFrames.authorization(TradingFrames.UNAUTHORIZED, "authenticate"),
          UNAUTHORIZED);
      return;
    }
    Optional<Credential> credential = settings.credentials().authenticate(auth.key(), auth.secret())
        .filter(c -> c.names(TradingHubSettings.ENTITLEMENT)); // * is market data only
    if (credential.isEmpty()) {
      // Alpaca answers "unauthorized"; the SDKs then disconnect, and the gateway closes for them
      LOG.info(() -> "trading client " + client.id + ": key " + Printable.of(auth.key()) + " refused");
      admission.authFailed(client.slot, auth.key());
      admission.refusals().count(Refusal.AUTH_FAILED);
      dismiss(client, TradingFrames.authorization(TradingFrames.UNAUTHORIZED, "authenticate"),
          UNAUTHORIZED);
      return;
    }
    String key = credential.get().key();
    int limit = settings.entitlements().of(key).connections();
    switch (admission.claim(client.slot, key, limit)) {
      case RELEASED:
        return; // closed meanwhile: nothing was counted
      case AT_LIMIT:
        // the trading stream has no code for it; the market-data paths answer 406 here
        LOG.info(() -> client.describe() + ": key " + key + " holds " + admission.holding(key)
            + " connections");
        dismiss(client, TradingFrames.error("connection limit exceeded"),
            new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "connection limit exceeded"));
        return;
      default:
        client.credential = credential.get();
    }
    client.outbox.control(TradingFrames.authorization(TradingFrames.AUTHORIZED, "authenticate"));
  }

  private void listen(TradingClient client, List<String> streams) {
    if (client.closed) {
      return;
    }
    if (client.credential == null) {
      client.outbox.control(TradingFrames.authorization(TradingFrames.UNAUTHORIZED, "listen"));
      return;
    }
    if (streams.contains(TradingFrames.TRADE_UPDATES)) {
      // the acknowledgement goes before any update the listening lets through
      client.outbox.control(TradingFrames.listening(List.of(TradingFrames.TRADE_UPDATES)));
      setListening(client, true);
    } else {
      // and after the last one, when it stops
      setListening(client, false);
      client.outbox.control(TradingFrames.listening(List.of()));
    }
  }

  /** Under the lock, so that demand changes reach the upstream in the order they happened. */
  private synchronized void setListening(TradingClient client, boolean listening) {
    if (client.listening == listening || (listening && client.closed)) {
      return; // closed() marks before it stops the listening under this lock: never re-pinned
    }
    client.listening = listening;
    listeners += listening ? 1 : -1;
    if (listeners == (listening ? 1 : 0)) {
      demand.accept(listening
          ? new DemandChanged(Streams.TRADING, TradingProtocol.ALL, Interest.none())
          : new DemandChanged(Streams.TRADING, Interest.none(), TradingProtocol.ALL));
    }
  }

  /** The admission's deadline passed without a successful authentication (counted there). */
  private void authTimedOut(TradingClient client) {
    if (client.credential == null && clients.contains(client)) {
      LOG.info(() -> "trading client " + client.id + ": no authentication in time");
      dismiss(client, TradingFrames.error("auth timeout"), UNAUTHORIZED);
    }
  }

  /**
   * Sends a last frame and closes after it without waiting on the peer: the client is let go at
   * once and its socket aborted after the close grace if it has not taken the frame by then.
   */
  private void dismiss(TradingClient client, byte[] lastFrame, CloseReason reason) {
    client.outbox.finish(lastFrame, reason);
    closed(client);
    abortAfterGrace(client, reason);
  }

  private void abortAfterGrace(TradingClient client, CloseReason reason) {
    scheduler.schedule(() -> client.outbox.abort(reason),
        admission.limits().closeGrace().toMillis(), TimeUnit.MILLISECONDS);
  }
}
