package io.tickrelay.distribution;

import io.tickrelay.admission.Admission;
import io.tickrelay.admission.Printable;
import io.tickrelay.admission.Refusal;
import io.tickrelay.admission.RemoteAddress;
import io.tickrelay.admission.Slot;
import io.tickrelay.delivery.ControlRate;
import io.tickrelay.config.Credential;
import io.tickrelay.delivery.ClientOutbox;
import io.tickrelay.delivery.QuietClose;
import io.tickrelay.delivery.DirectWriter;
import io.tickrelay.delivery.FrameSink;
import io.tickrelay.delivery.SessionSink;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.SubscriptionRefused;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.GapClosing;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.GatewayMessages;
import io.tickrelay.protocol.HandshakeCapture;
import io.tickrelay.protocol.ProtocolException;
import io.tickrelay.protocol.WireCodec;
import io.tickrelay.protocol.WireFormat;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Every connected client and the protocol conversation with each (Alpaca's stream protocol,
 * upstream-protocols.md §1.3-1.6, plus the opt-in extensions of docs/PROTOCOL.md): auth and
 * entitlements, limits, subscriptions, bad input and floods; who may connect and for how long
 * unauthenticated is the shared {@link Admission}'s call. Independent of any container, like
 * the simulator, so component tests serve it from an in-process server with real sockets.
 */
final class ClientHub {

  private static final Logger LOG = Logger.getLogger(ClientHub.class.getName());
  private static final int MAX_FAILED_AUTHS = 3;
  private static final String AUTH_THROTTLED = "too many failed authentications";
  /** How long an outage's closing marker waits for its backfill at most. */
  static final Duration GAP_CLOSING_TIMEOUT = Duration.ofMinutes(2);

  private final HubSettings settings;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final Consumer<DemandChanged> demand;
  private final Map<String, Fanout> fanouts = new ConcurrentHashMap<>();
  private final FanoutThread fanoutThread;
  private final DirectWriter writer;
  private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
  private final Admission admission;
  private final AtomicLong slowCutOffs = new AtomicLong();
  private final AtomicLong floodClosures = new AtomicLong();
  private final DeliveryFigures delivery;

  ClientHub(
      HubSettings settings,
      ScheduledExecutorService scheduler,
      Consumer<DemandChanged> demand,
      LongSupplier nanoTime) {
    this(settings, scheduler, demand, nanoTime, latency -> {}, ClientHub::daemon);
  }

  /** With an admission of its own, for component tests: the settings' cap and auth timeout. */
  ClientHub(
      HubSettings settings,
      ScheduledExecutorService scheduler,
      Consumer<DemandChanged> demand,
      LongSupplier nanoTime,
      LongConsumer latencyNanos,
      ThreadFactory threads) {
    this(settings, scheduler, demand, nanoTime, latencyNanos, threads,
        new Admission(Admission.Limits.of(settings.maxClients(), settings.authTimeout(),
            settings.slowCloseGrace()), scheduler, nanoTime));
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * {@code latencyNanos} gets each frame's upstream-timestamp-to-send delay (oldest message);
   * {@code admission} is shared with every other client-facing hub.
   */
  ClientHub(
      HubSettings settings,
      ScheduledExecutorService scheduler,
      Consumer<DemandChanged> demand,
      LongSupplier nanoTime,
      LongConsumer latencyNanos,
      ThreadFactory threads,
      Admission admission) {
    this.settings = settings;
    this.admission = admission;
    this.delivery = new DeliveryFigures(latencyNanos, DeliveryFigures.EpochNanos.system());
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.demand = demand;
    this.fanoutThread = new FanoutThread(threads, settings.fanoutQueue(), settings.batchWindow(), this::fanOut);
    this.writer =
        settings.directWrites() == null
            ? null
            : new DirectWriter(settings.directWrites(), threads, nanoTime);
  }

  /** The stream's fan-out, made on first use: its own subscribers, journal and sequence. */
  private Fanout fanout(String stream) {
    return fanouts.computeIfAbsent(
        stream,
        s -> new Fanout(
            s,
            settings.journalSize(),
            settings.outbox().maxPending(),
            settings.upstreamLinger(),
            demand,
            this::cutOffSlow,
            scheduler,
            nanoTime,
            Clock.systemUTC()));
  }

  /**
   * A client finished its handshake on a stream path; an empty path (an unknown feed or location)
   * is refused. Null when it was turned away.
   */
  ClientSession opened(Session session, Optional<StreamPath> path) {
    Map<String, List<String>> headers = HandshakeCapture.headers(session.getUserProperties());
    boolean binary = WireFormat.fromHeaders(headers) == WireFormat.MSGPACK;
    FrameSink sink = new SessionSink(session, binary);
    if (path.isEmpty()) {
      admission.refusals().count(Refusal.UNKNOWN_FEED);
      sink.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown feed"));
      return null;
    }
    return opened(sink, path.get(), headers);
  }

  /** A stock client on {@code /v2/{feed}}, for component tests. */
  ClientSession opened(FrameSink sink, String feed, Map<String, List<String>> headers) {
    Optional<StreamPath> path = StreamPath.stocks(feed);
    if (path.isEmpty()) {
      admission.refusals().count(Refusal.UNKNOWN_FEED);
      sink.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown feed"));
      return null;
    }
    return opened(sink, path.get(), headers);
  }

  ClientSession opened(FrameSink socket, StreamPath path, Map<String, List<String>> headers) {
    WireCodec codec = WireFormat.fromHeaders(headers).codec();
    // a client let go while it still sends is closed once it paused, so it reads why (429...)
    QuietClose sink = new QuietClose(socket, scheduler, nanoTime);
    ClientOutbox outbox =
        new ClientOutbox(
            sink,
            codec::frame,
            settings.outbox(),
            codec.error(AlpacaError.SLOW_CLIENT),
            nanoTime,
            delivery,
            writer,
            scheduler); // issue 15: a drain-then-close is forced after the grace
    ClientSession client =
        new ClientSession(
            sink.id(),
            path,
            codec.format(),
            outbox,
            new ControlRate(settings.controlRate(), nanoTime.getAsLong()),
            this::refuseAndClose);
    client.onSlow(this::cutOffSlow); // a control frame over the outbox's limits is a 407 too
    client.onInbound(sink::inbound);
    // the deadline holds until an authentication succeeds, however the attempts before it failed
    Slot slot = admission.connect(RemoteAddress.of(headers), () -> authTimedOut(client));
    client.slot(slot);
    if (slot.refusal() != null) {
      LOG.info(() -> client.describe() + ": turned away (" + slot.refusal().key() + "), "
          + admission.open() + " connected");
      CloseReason reason = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER,
          slot.refusal() == Refusal.CONNECTION_CAP
              ? "connection limit exceeded" : "too many unauthenticated connections");
      outbox.finish(codec.error(AlpacaError.CONNECTION_LIMIT_EXCEEDED), reason);
      return null; // its outbox forces the close after the grace if the peer does not read
    }
    sessions.put(client.id(), client);
    client.send(codec.success("connected"));
    Optional<ClientMessage.Auth> byHeader = HeaderAuth.from(headers);
    if (byHeader.isPresent()) {
      authenticate(client, byHeader.get());
    }
    return client;
  }

  void text(ClientSession client, String text) {
    client.inbound();
    if (admit(client)) {
      if (text.length() > settings.maxMessageBytes()) {
        rejected(client, new ProtocolException(AlpacaError.INVALID_SYNTAX, "message too big"));
        return;
      }
      try {
        handle(client, GatewayMessages.decode(text));
      } catch (ProtocolException e) {
        rejected(client, e);
      }
    }
  }

  void binary(ClientSession client, byte[] frame) {
    client.inbound();
    if (admit(client)) {
      if (frame.length > settings.maxMessageBytes()) {
        rejected(client, new ProtocolException(AlpacaError.INVALID_SYNTAX, "message too big"));
        return;
      }
      try {
        handle(client, GatewayMessages.decode(frame));
      } catch (ProtocolException e) {
        rejected(client, e);
      }
    }
  }

  /**
   * The client is gone, or being let go without waiting for its peer: its slot, its credential's
   * count and its subscriptions are given back, once. Marked closed first, so a subscribe or an
   * authentication handled meanwhile cannot put it back (see {@link #subscribe}).
   */
  void closed(ClientSession client) {
    client.markClosed();
    if (sessions.remove(client.id()) == null) {
      return;
    }
    if (client.slot() != null) {
      admission.release(client.slot());
    }
    fanout(client.stream()).forget(client);
  }

  /** Hands a stream's events to the fan-out thread; never waits for clients. */
  void publish(String stream, List<MarketEvent> events) {
    if (StreamPath.served(stream)) { // no journal for a stream no client here can read
      fanoutThread.offer(stream, events);
    }
  }

  /**
   * Backfilled events, behind everything already queued for the stream: the fan-out thread drops
   * what was delivered live and publishes the rest.
   */
  void recovered(String stream, List<MarketEvent> events) {
    if (StreamPath.served(stream)) {
      fanoutThread.offer(stream, () -> fanout(stream).recovered(events));
    }
  }

  private void fanOut(String stream, List<MarketEvent> events) {
    fanout(stream).publish(events);
  }

  /**
   * The upstream refused symbols (Alpaca 405): each client of the stream that asked for some of
   * them gets the provider's error, loses those symbols and gets its new subscription state; the
   * others hear nothing.
   */
  void subscriptionRefused(SubscriptionRefused refused) {
    Fanout fanout = fanout(refused.stream());
    // clients speak Alpaca's protocol: another provider's refusal is told as Alpaca's 405
    AlpacaError error = AlpacaError.ofCode(refused.code()) != null
        ? AlpacaError.ofCode(refused.code()) : AlpacaError.SYMBOL_LIMIT_EXCEEDED;
    for (ClientSession client : sessions.values()) {
      if (!client.stream().equals(refused.stream())) {
        continue;
      }
      Interest held = client.subscriptions();
      Interest kept = held.minus(refused.interest());
      if (!kept.equals(held)) {
        LOG.info(() -> client.describe() + ": upstream refused " + held.minus(kept) + " (" + refused.code() + ")");
        refuse(client, error);
        subscribe(client, kept);
      }
    }
  }

  /** Upstream data of a stream stopped: the open gap marker, after the data that came before. */
  void interrupted(UpstreamInterrupted interrupted) {
    String stream = interrupted.stream();
    if (StreamPath.served(stream)) {
      fanoutThread.offer(stream, () -> fanout(stream).interrupted(interrupted));
    }
  }

  /**
   * An outage is over: the closed gap marker follows when {@code closing} says what was recovered,
   * or after {@link #GAP_CLOSING_TIMEOUT} as if nothing was.
   */
  void restored(UpstreamRestored restored, GapClosing closing) {
    String stream = restored.stream();
    if (!StreamPath.served(stream)) {
      return;
    }
    CompletableFuture<Closing> done = new CompletableFuture<>();
    try {
      closing.closing(restored).whenComplete((outcome, failure) -> done.complete(
          failure != null || outcome == null
              ? new Closing(GapClosing.Outcome.NOTHING, "backfill failed")
              : new Closing(outcome, null)));
    } catch (RuntimeException e) {
      LOG.warning(() -> stream + ": gap closing hook failed: " + e);
      done.complete(new Closing(GapClosing.Outcome.NOTHING, "backfill failed"));
    }
    if (!done.isDone()) {
      scheduler.schedule(
          () -> done.complete(new Closing(GapClosing.Outcome.NOTHING, "backfill timed out")),
          GAP_CLOSING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    done.thenAccept(result -> fanoutThread.offer(stream,
        () -> fanout(stream).restored(restored, result.outcome(), result.note())));
  }

  /** What the hook said, and a note when it said nothing (failed, timed out). */
  private record Closing(GapClosing.Outcome outcome, String note) {}

  void feedSelected(FeedSelected selected) {
    List<ClientSession> ofStream =
        sessions.values().stream().filter(c -> c.stream().equals(selected.stream())).toList();
    fanout(selected.stream()).feedSelected(selected, ofStream);
  }

  /** The hub's own threads (fan-out, writer, its watchdog) as liveness sees them. */
  public List<io.tickrelay.supervision.LoopHealth> loops() {
    List<io.tickrelay.supervision.LoopHealth> loops = new java.util.ArrayList<>();
    loops.add(fanoutThread.loop().health());
    if (writer != null) {
      loops.addAll(writer.loops());
    }
    return loops;
  }

  void closeAll() {
    fanoutThread.stop();
    if (writer != null) {
      writer.stop();
    }
    for (ClientSession client : sessions.values()) {
      admission.release(client.slot());
      client.outbox().abort(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gateway stopping"));
    }
  }

  int count() {
    return sessions.size();
  }

  /** Counts and totals for status and metrics; walks the sessions, so not for the hot path. */
  ClientFigures figures() {
    Map<String, Integer> perFeed = new java.util.TreeMap<>();
    int authenticated = 0;
    for (ClientSession client : sessions.values()) {
      perFeed.merge(client.feed(), 1, Integer::sum);
      if (client.authenticated()) {
        authenticated++;
      }
    }
    return new ClientFigures(
        sessions.size(),
        admission.open(),
        authenticated,
        settings.maxClients(),
        Map.copyOf(perFeed),
        delivery.messagesSent(),
        delivery.framesSent(),
        delivery.conflatedMessages(),
        delivery.droppedMessages(),
        slowCutOffs.get(),
        floodClosures.get(),
        writer == null ? 0 : writer.writesBlocked(),
        writer == null ? 0 : writer.blockedWrites(),
        admission.refusals().snapshot());
  }

  long slowCutOffs() {
    return slowCutOffs.get();
  }

  long floodClosures() {
    return floodClosures.get();
  }

  /** The name of the stream's numbering, as {@code x-options} gives it. */
  String epoch(String stream) {
    return fanout(stream).epoch();
  }

  /** The sequence number of the stream's latest event (publishing is asynchronous). */
  long head(String stream) {
    return fanout(stream).head();
  }

  /** The flood guard: every client message, well-formed or not, spends a token. */
  private boolean admit(ClientSession client) {
    switch (client.controlRate().admit(nanoTime.getAsLong())) {
      case ALLOW:
        return true;
      case REFUSE_AND_ANSWER:
        LOG.fine(() -> client.describe() + ": messages over the rate limit refused");
        client.send(tooManyRequests(client));
        return false;
      case CLOSE:
        if (!client.outbox().closing()) {
          floodClosures.incrementAndGet();
          admission.refusals().count(Refusal.FLOOD);
          LOG.info(() -> client.describe() + ": closed for flooding control messages");
          dismiss(client, tooManyRequests(client),
              new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "too many requests"));
        }
        return false;
      default:
        return false;
    }
  }

  private static byte[] tooManyRequests(ClientSession client) {
    return GatewayMessages.error(
        client.format(), GatewayMessages.TOO_MANY_REQUESTS, GatewayMessages.TOO_MANY_REQUESTS_MSG);
  }

  private void handle(ClientSession client, ClientMessage message) throws ProtocolException {
    if (client.closed()) {
      return; // let go already: nothing it says changes anything
    }
    if (message instanceof ClientMessage.Auth auth) {
      authenticate(client, auth);
    } else if (!client.authenticated()) {
      refuse(client, AlpacaError.NOT_AUTHENTICATED);
    } else if (message instanceof ClientMessage.Subscription request) {
      subscription(client, request);
    } else if (message instanceof ClientMessage.Options options) {
      fanout(client.stream()).options(client, options);
    } else if (message instanceof ClientMessage.Resume resume) {
      if (!client.options().sequence()) {
        throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "x-resume without sequence on");
      }
      fanout(client.stream()).resume(client, resume);
    }
  }

  private void subscription(ClientSession client, ClientMessage.Subscription request) {
    Interest requested = request.interest();
    Interest current = client.subscriptions();
    if (request.subscribe() ? current.containsAll(requested) : !current.overlaps(requested)) {
      fanout(client.stream()).unchanged(client); // answered as before, at the cost of the request
      return;
    }
    Interest next = request.subscribe() ? current.plus(requested) : current.minus(requested);
    if (request.subscribe()) {
      Optional<AlpacaError> refused = Grants.subscription(client.path(), client.credential(),
          requested, next, settings.entitlements(), settings.listing());
      if (refused.isPresent()) {
        // the connection stays open and the previous set stays (Alpaca docs, 405)
        LOG.fine(() -> client.describe() + ": subscribe refused (" + refused.get().code() + ")");
        refuse(client, refused.get());
        return;
      }
    }
    subscribe(client, next);
  }

  /**
   * Indexes the client's new set; a client let go meanwhile is taken out again. {@link #closed}
   * marks it before it forgets it, and both take the fan-out's lock: either the forget comes
   * after this subscribe, or this check sees the mark (M8 in the reliability review).
   */
  private void subscribe(ClientSession client, Interest next) {
    Fanout fanout = fanout(client.stream());
    fanout.subscribe(client, next);
    if (client.closed()) {
      fanout.forget(client);
    }
  }

  private void authenticate(ClientSession client, ClientMessage.Auth auth) {
    WireCodec codec = client.codec();
    if (client.authenticated()) {
      refuse(client, AlpacaError.ALREADY_AUTHENTICATED);
      return;
    }
    if (admission.throttled(client.slot(), auth.key())) {
      // refused unheard: the secret is not even checked (docs/PROTOCOL.md, "Limits")
      LOG.info(() -> client.describe() + ": auth throttled for key " + Printable.of(auth.key()));
      dismiss(client, GatewayMessages.error(client.format(), GatewayMessages.TOO_MANY_REQUESTS,
              AUTH_THROTTLED),
          new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, AUTH_THROTTLED));
      return;
    }
    Optional<Credential> found = settings.credentials().authenticate(auth.key(), auth.secret());
    if (found.isEmpty()) {
      admission.authFailed(client.slot(), auth.key());
      LOG.info(() -> client.describe() + ": auth failed for key " + Printable.of(auth.key()));
      if (client.failedAuth() >= MAX_FAILED_AUTHS) {
        refuseAndClose(client, AlpacaError.AUTH_FAILED);
      } else {
        refuse(client, AlpacaError.AUTH_FAILED); // the auth deadline keeps running
      }
      return;
    }
    Credential credential = found.get();
    Optional<AlpacaError> refused = Grants.authentication(client.path(), credential);
    if (refused.isPresent()) {
      LOG.info(() -> client.describe() + ": key " + credential.key() + " is not entitled to it");
      client.fail(refused.get());
      return;
    }
    int limit = settings.entitlements().of(credential.key()).connections();
    switch (admission.claim(client.slot(), credential.key(), limit)) {
      case RELEASED:
        return; // closed meanwhile: nothing was counted
      case AT_LIMIT:
        // the socket stays open: the Go SDK retries auth on it (upstream-protocols.md §1.6, 406);
        // its auth deadline keeps running, so it cannot wait there for ever
        LOG.info(() -> client.describe() + ": key " + credential.key() + " holds "
            + admission.holding(credential.key()));
        client.send(codec.error(AlpacaError.CONNECTION_LIMIT_EXCEEDED)); // counted by the claim
        return;
      default:
        client.authenticatedAs(credential);
    }
    client.send(codec.success("authenticated"));
    LOG.fine(() -> client.describe() + ": authenticated");
  }

  /** The admission's deadline passed without a successful authentication (counted there). */
  private void authTimedOut(ClientSession client) {
    if (!client.authenticated()) {
      LOG.fine(() -> client.describe() + ": auth timeout");
      dismiss(client, client.codec().error(AlpacaError.AUTH_TIMEOUT), policy(AlpacaError.AUTH_TIMEOUT));
    }
  }

  /** Called by the fan-out, under its lock, when a client's outbox overflowed. */
  private void cutOffSlow(ClientSession client) {
    slowCutOffs.incrementAndGet();
    admission.refusals().count(Refusal.SLOW);
    LOG.info(() -> client.describe() + ": cut off as slow client (407)");
    closed(client); // its slot, count and subscriptions go now; its outbox closes the socket
  }

  private void rejected(ClientSession client, ProtocolException e) {
    LOG.fine(() -> client.describe() + ": " + e.getMessage());
    refuse(client, e.error());
  }

  /** Answers with an Alpaca error and counts the refusal; the connection stays. */
  private void refuse(ClientSession client, AlpacaError error) {
    admission.refusals().count(Refusal.of(error));
    client.send(client.codec().error(error));
  }

  /** Answers with an Alpaca error, counts the refusal and lets the client go (402 x3, 409...). */
  private void refuseAndClose(ClientSession client, AlpacaError error) {
    admission.refusals().count(Refusal.of(error));
    dismiss(client, client.codec().error(error), policy(error));
  }

  private static CloseReason policy(AlpacaError error) {
    return new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, error.message());
  }

  /**
   * Sends a last frame and closes after it, but never waits on the peer: the client is let go at
   * once (slot, credential count, subscriptions) and its socket is aborted after the close grace
   * if it has not taken the frame by then (M7 in the reliability review).
   */
  private void dismiss(ClientSession client, byte[] lastFrame, CloseReason reason) {
    client.outbox().finish(lastFrame, reason); // forced after the grace by the outbox itself
    closed(client);
  }

  /** Client-supplied text for a log line; see {@link Printable}. */
  static String printable(String untrusted) {
    return Printable.of(untrusted);
  }
}
