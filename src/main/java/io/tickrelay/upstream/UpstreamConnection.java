package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.SubscriptionRefused;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One upstream connection and its whole provider-neutral lifecycle: connect, run the protocol's
 * post-open conversation until live, hold the union of client demand, watch for stalls, fall back
 * and re-probe feeds, and reconnect with backoff whatever goes wrong; the provider's wire format is
 * its {@link UpstreamProtocol}'s. State changes happen under this object's lock; network calls
 * never do. Each connection attempt has a generation number so that callbacks of an abandoned
 * attempt change nothing. It is long because the lifecycle is one story told under one lock; the
 * parts that need no lock of their own live apart: counters in {@link ConnectionFigures}, feeds in
 * {@link FeedChain}, demand and requests in {@link HeldSubscriptions}, delays in {@link RetryDelay},
 * pacing in {@link PacedSender}, callbacks in {@link AttemptEndpoint}.
 */
public final class UpstreamConnection {

  private static final Logger LOG = Logger.getLogger(UpstreamConnection.class.getName());
  private static final ErrorStrategies.ErrorStrategy STALL = ErrorStrategies.stall();

  private volatile boolean retired;
  /** A probe of the preferred feed that has not settled yet (see {@link #probe()}). */
  private volatile boolean probe;
  private final UpstreamProtocol protocol;
  private final UpstreamSettings settings;
  private final Transport transport;
  private final Tasks tasks;
  private final UpstreamListener listener;
  private final Clock clock;
  private final ConnectionFigures figures = new ConnectionFigures();
  private final FeedChain feeds;
  private final FreshCredentials credentials;
  private final PacedSender sender;
  private final RetryDelay retry;

  private UpstreamState state = UpstreamState.DISCONNECTED;
  private Instant since;
  private String reason = "not started";
  private int generation;
  /** A {@link PacedSender#sendLater} entry waits and will carry the net of further changes. */
  private boolean netQueued;
  private UpstreamProtocol.Conversation conversation;
  private Session session;
  private ScheduledFuture<?> pending;
  private ScheduledFuture<?> authDeadline;
  private ScheduledFuture<?> keepalive;
  private ScheduledFuture<?> pongDeadline;
  private ScheduledFuture<?> reprobe;
  private ScheduledFuture<?> aged;
  private Instant pingSentAt;
  /** Since when the demand holds a steady channel ({@link UpstreamProtocol#steadyChannels()}). */
  private Instant steadySince = Instant.MIN;
  private final HeldSubscriptions held;

  public UpstreamConnection(
      UpstreamProtocol protocol,
      UpstreamSettings settings,
      Transport transport,
      Tasks tasks,
      UpstreamListener listener,
      Clock clock) {
    this.protocol = protocol;
    this.settings = settings;
    this.feeds = new FeedChain(settings.feeds());
    this.credentials = new FreshCredentials(settings);
    this.sender = new PacedSender(settings.name(), protocol.controlPace(), tasks, clock);
    this.retry = new RetryDelay(settings);
    this.held = new HeldSubscriptions(settings.name(), protocol, figures, feeds::current);
    this.transport = transport;
    this.tasks = tasks;
    this.listener = listener;
    this.clock = clock;
    figures.startedAt = clock.instant();
    this.since = clock.instant();
  }

  /** Schedules the first connect; never blocks on the network. */
  public synchronized void start() {
    if (state == UpstreamState.DISCONNECTED && pending == null) {
      scheduleConnect(Duration.ZERO);
    }
  }

  /** Marks the connection stopped first, so that nothing reconnects, then closes it with 1000. */
  public void stop() {
    Session toClose;
    synchronized (this) {
      if (state == UpstreamState.STOPPED) {
        return;
      }
      transition(UpstreamState.STOPPED, "stopped by the gateway");
      cancelTimers();
      cancel(pending);
      generation++;
      toClose = session;
      session = null;
    }
    closeQuietly(toClose, CloseReason.CloseCodes.NORMAL_CLOSURE, "gateway stopping");
  }

  /** Applies a change of client demand: remembers it and, when live, subscribes upstream. */
  public void demand(DemandChanged change) {
    Session live;
    int attempt;
    List<Frame> requests;
    boolean queueNet = false;
    synchronized (this) {
      live = state == UpstreamState.CONNECTED ? session : null;
      attempt = generation;
      boolean watchedBefore = SilenceRule.watches(held.demand(), protocol.steadyChannels());
      // while paced frames wait, a change only joins the net sent when its turn comes (M10)
      boolean defer = live != null && (netQueued || sender.backlogged());
      requests = held.change(change, live != null, defer);
      if (defer && !netQueued) {
        netQueued = true;
        queueNet = true;
      }
      if (!watchedBefore && SilenceRule.watches(held.demand(), protocol.steadyChannels())) {
        steadySince = clock.instant(); // the silence window counts from when steady data was wanted
      }
    }
    if (queueNet) {
      int queuedFor = attempt;
      sender.sendLater(live, () -> netRequests(queuedFor), () -> isCurrent(queuedFor));
    } else {
      send(live, attempt, requests);
    }
  }

  /** The requests that bring the provider to the demand now, for the queued net entry. */
  private synchronized List<Frame> netRequests(int attempt) {
    if (attempt != generation) {
      return List.of(); // a new session restores the whole demand
    }
    netQueued = false;
    return held.net();
  }

  public synchronized UpstreamStatus status() {
    return new UpstreamStatus(
        settings.name(), protocol.provider(), protocol.stream(), SafeUrl.of(protocol.target(settings.baseUrl(), feed(), held.demand()).uri()),
        feeds.all(), feed(), feeds.reason(), state, since, reason, figures.escalated, figures.lastMessageAt,
        figures.pingRoundTrip, figures.messagesIn, figures.bytesIn, figures.reconnects,
        figures.consecutiveFailures, figures.slowClientDisconnects, figures.lastError,
        figures.droppedChannelNames(), state == UpstreamState.STOPPED ? null : figures.nextAttemptAt,
        figures.startedAt, figures.lastDataAt);
  }

  public synchronized Interest currentDemand() {
    return held.demand();
  }

  /** Applies a transition if the state machine allows it; an illegal one is a bug, logged and refused. */
  synchronized boolean tryTransition(UpstreamState to, String why) {
    return transition(to, why);
  }

  public UpstreamProtocol protocol() {
    return protocol;
  }

  private String feed() {
    return feeds.current();
  }

  private void scheduleConnect(Duration delay) {
    int expected = generation;
    cancel(pending);
    figures.nextAttemptAt = clock.instant().plus(delay);
    pending = tasks.schedule(() -> tasks.runAsync(() -> connect(expected)), delay);
  }

  private void connect(int expected) {
    URI uri;
    int attempt;
    UpstreamSettings.Credentials current = credentials.read(); // afresh before every connect
    synchronized (this) {
      if (state == UpstreamState.STOPPED || expected != generation) {
        return; // superseded: never two attempts in flight for one connection
      }
      attempt = ++generation;
      UpstreamProtocol.Target target = protocol.target(settings.baseUrl(), feed(), held.demand());
      uri = target.uri();
      held.connecting(target.carried());
      conversation = protocol.conversation(current);
      figures.nextAttemptAt = null;
      transition(UpstreamState.CONNECTING, "connecting to " + SafeUrl.of(uri));
    }
    ClientEndpointConfig.Builder config = ClientEndpointConfig.Builder.create();
    ClientEndpointConfig.Configurator headers = protocol.handshake(current);
    if (headers != null) {
      config.configurator(headers);
    }
    try {
      Session opened = transport.connect(endpoint(attempt), config.build(), uri);
      synchronized (this) {
        if (attempt != generation) { // stopped or failed while the handshake ran
          closeQuietly(opened, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
        }
      }
    } catch (HandshakeRefused refused) {
      failed(attempt, protocol.handshakeRefused(refused.status()), refused.getMessage());
    } catch (DeploymentException | IOException | RuntimeException e) {
      failed(attempt, ErrorStrategies.network(), "handshake failed: " + e.getMessage());
    }
  }

  private void opened(int attempt, Session opened) {
    UpstreamProtocol.Step first;
    synchronized (this) {
      if (attempt != generation) {
        closeQuietly(opened, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
        return;
      }
      session = opened;
      transition(UpstreamState.AUTHENTICATING, "handshake done, authenticating");
      authDeadline = tasks.schedule(() -> failed(attempt, protocol.authTimeout(),
          "not authenticated within " + settings.authTimeout()), settings.authTimeout());
      first = conversation.opened();
    }
    step(attempt, first);
  }

  /** Sends a conversation step's frames and goes live when it says so. */
  private void step(int attempt, UpstreamProtocol.Step step) {
    Session current;
    synchronized (this) {
      if (attempt != generation || session == null) {
        return;
      }
      current = session;
    }
    send(current, attempt, step.send());
    if (step.live()) {
      becomeLive(attempt);
    }
  }

  private void onFrame(int attempt, int length, Decoder decoder) {
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      figures.received(length, clock.instant());
    }
    List<Inbound> items;
    try {
      items = decoder.decode();
    } catch (UnreadableFrame | RuntimeException e) {
      LOG.warning(() -> settings.name() + ": unreadable upstream frame ignored: " + e.getMessage());
      return;
    }
    Map<String, FrameBatch> batches = new LinkedHashMap<>();
    for (Inbound item : items) {
      if (item instanceof Inbound.Data data) {
        String stream = data.stream() == null ? protocol.stream() : data.stream();
        batches.computeIfAbsent(stream, s -> new FrameBatch()).add(data);
      } else if (item instanceof Inbound.AuthProgress progress) {
        UpstreamProtocol.Step next;
        synchronized (this) {
          if (attempt != generation || conversation == null) {
            return;
          }
          next = conversation.progressed(progress);
        }
        step(attempt, next);
      } else if (item instanceof Inbound.ProviderError failure) {
        onFailure(attempt, failure);
      } else if (item instanceof Inbound.Ack ack) {
        onAck(attempt, ack);
      }
    }
    batches.forEach((stream, batch) -> onData(attempt, stream, batch));
  }

  /** Decodes one frame; a protocol hook that may fail on bad input. */
  @FunctionalInterface
  private interface Decoder {
    List<Inbound> decode() throws UnreadableFrame;
  }

  private void onData(int attempt, String stream, FrameBatch batch) {
    List<MarketEvent> events = batch.events;
    String feed;
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      figures.messagesIn += events.size();
      figures.lastDataAt = clock.instant();
      feed = feed();
    }
    listener.received(new MarketDataReceived(stream, feed, events), batch.identities);
  }

  private void becomeLive(int attempt) {
    Session current;
    List<Frame> restore;
    FeedSelected selected;
    synchronized (this) {
      if (attempt != generation || session == null) {
        return;
      }
      current = session;
      cancel(authDeadline);
      figures.lastDataAt = clock.instant();
      // authenticated: the failure run is over, data or not (a quiet stream, a weekend, the
      // trading stream may send nothing for hours), so the next failure starts the backoff afresh
      if (figures.escalated) {
        LOG.info(settings.name() + ": authenticated again, escalation cleared");
      }
      figures.consecutiveFailures = 0;
      figures.quickRetried = false;
      figures.escalated = false;
      feeds.live();
      transition(UpstreamState.CONNECTED, "authenticated on feed " + feed());
      restore = held.restore();
      netQueued = false; // an entry of the old session is dropped; the restore carries it all
      selected = new FeedSelected(protocol.stream(), settings.name(), feed(), feeds.reason(), clock.instant());
      keepalive = tasks.scheduleRepeating(() -> ping(attempt), settings.pingInterval());
      if (feeds.onFallback() && !settings.reprobeInterval().isZero()) {
        reprobe = tasks.scheduleRepeating(() -> reprobe(attempt), settings.reprobeInterval());
      }
      Duration maxAge = protocol.maxSessionAge();
      if (!maxAge.isZero()) {
        aged = tasks.schedule(() -> aged(attempt), maxAge);
      }
    }
    LOG.info(() -> settings.name() + ": live on feed " + selected.feed() + " (" + selected.reason()
        + "), restoring " + held.demand().symbolCount() + " subscriptions");
    listener.feedSelected(selected);
    send(current, attempt, restore);
    settleIfDone(attempt);
  }

  /** Live and every subscription request answered: tells the listener once per session. */
  private void settleIfDone(int attempt) {
    synchronized (this) {
      if (attempt != generation || state != UpstreamState.CONNECTED || !held.settleNow()) {
        return;
      }
    }
    probe = false; // authenticated and subscribed: from now on an ordinary connection
    listener.settled();
  }

  /** The session reached the protocol's maximum age: the owner replaces it (make-before-break). */
  private void aged(int attempt) {
    synchronized (this) {
      if (attempt != generation || state != UpstreamState.CONNECTED) {
        return;
      }
    }
    LOG.info(() -> settings.name() + ": session reached its maximum age " + protocol.maxSessionAge()
        + "; a replacement is due");
    listener.sessionAged();
  }

  /** The server is going away: the owner replaces the session now, as at its maximum age. */
  private void rotateNow(int attempt, String why) {
    synchronized (this) {
      if (attempt != generation || state != UpstreamState.CONNECTED) {
        return;
      }
    }
    LOG.info(() -> settings.name() + ": " + why + "; a replacement is due now");
    listener.sessionAged();
  }

  /**
   * This session was replaced and only drains what it already received: if it fails now it stops
   * instead of reconnecting, since nobody owns it any more.
   */
  public void retire() {
    retired = true;
  }

  private void onFailure(int attempt, Inbound.ProviderError failure) {
    ErrorStrategies.ErrorStrategy row = protocol.classify(failure.code());
    String what = "upstream error " + failure.code() + " " + failure.message();
    switch (row.reaction()) {
      case CARRY_ON -> LOG.warning(() -> settings.name() + ": " + what + " (connection kept)");
      case ROTATE -> rotateNow(attempt, what);
      case REJECT_REQUEST, DROP_CHANNEL -> rejected(attempt, row, what, failure);
      default -> failed(attempt, row, what);
    }
  }

  /** A subscription request was refused (Alpaca 405) or named a channel the feed lacks (410). */
  private void rejected(int attempt, ErrorStrategies.ErrorStrategy row, String what, Inbound.ProviderError failure) {
    Interest dropped;
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      dropped = held.refused(row, what, failure.id(), clock.instant());
    }
    if (!dropped.isEmpty()) {
      listener.subscriptionRefused(
          new SubscriptionRefused(protocol.stream(), dropped, failure.code(), failure.message()));
    }
    settleIfDone(attempt);
  }

  private void onAck(int attempt, Inbound.Ack ack) {
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      held.acked(ack);
    }
    settleIfDone(attempt);
  }

  private void ping(int attempt) {
    Session current;
    String stall = null;
    synchronized (this) {
      if (attempt != generation || session == null) {
        return;
      }
      current = session;
      Instant now = clock.instant();
      Instant quietSince = figures.lastDataAt.isAfter(steadySince) ? figures.lastDataAt : steadySince;
      Duration quiet = Duration.between(quietSince, now);
      if (!settings.silenceWindow().isZero()
          && SilenceRule.watches(held.demand(), protocol.steadyChannels())
          && quiet.compareTo(settings.silenceWindow()) > 0
          && SilenceRule.applies(settings.silenceCheck(), now)) {
        stall = "no data for " + quiet.toMillis() + " ms (silence window " + settings.silenceWindow() + ")";
      } else if (protocol.keepalive() == UpstreamProtocol.KeepaliveMode.ANSWER_SERVER_PINGS) {
        return; // the server pings; the transport answers (see KeepaliveMode)
      } else if (pongDeadline == null || pongDeadline.isDone()) {
        pingSentAt = now;
        Instant sent = now;
        pongDeadline = tasks.schedule(() -> pongMissed(attempt, sent), settings.pongTimeout());
      }
    }
    if (stall != null) {
      failed(attempt, STALL, stall);
      return;
    }
    try {
      current.getAsyncRemote().sendPing(ByteBuffer.wrap(new byte[] {'t', 'r'}));
    } catch (IOException | RuntimeException e) {
      failed(attempt, ErrorStrategies.network(), "ping failed: " + e.getMessage());
    }
  }

  private void pongMissed(int attempt, Instant sent) {
    synchronized (this) {
      if (attempt != generation || !sent.equals(pingSentAt)) {
        return;
      }
      Instant last = figures.lastMessageAt;
      if (last != null && last.isAfter(sent)) {
        // Frames were read after the ping went out: the connection is alive, its pong is only
        // queued behind data (RFC 6455 §5.5.3 lets a pong follow pending frames). Declaring it
        // stalled would turn a busy moment into a reconnect and a gap for every client (seen in
        // the benchmark at 400+ trades/s). A frozen socket reads nothing and is still caught.
        pingSentAt = null;
        LOG.fine(() -> settings.name() + ": pong late but data flowing; alive");
        return;
      }
    }
    failed(attempt, STALL, "no pong within " + settings.pongTimeout());
  }

  /** A ping is out and its pong not back yet (a test seam). */
  synchronized boolean awaitingPong() {
    return pingSentAt != null;
  }

  private synchronized void onPong(int attempt) {
    if (attempt == generation && pingSentAt != null) {
      figures.pingRoundTrip = Duration.between(pingSentAt, clock.instant());
      pingSentAt = null;
      cancel(pongDeadline);
    }
  }

  /**
   * Live on a fallback feed and a re-probe period passed: the owner probes the preferred feed on a
   * second connection while this one stays live (Alpaca's SIP and IEX are separate endpoints with
   * separate connection limits), and switches only once the probe is authenticated and subscribed.
   */
  private void reprobe(int attempt) {
    synchronized (this) {
      if (attempt != generation || state != UpstreamState.CONNECTED || !feeds.onFallback() || retired) {
        return;
      }
    }
    LOG.info(() -> settings.name() + ": re-probe due, probing " + settings.feeds().get(0) + " beside " + feed());
    listener.reprobeDue();
  }

  /**
   * Makes this (not yet started) connection a probe of the preferred feed: it connects there only,
   * and any failure before it settles stops it and tells the listener instead of reconnecting or
   * falling back, so the connection it would replace keeps serving.
   */
  void probe() {
    synchronized (this) {
      feeds.startProbe();
    }
    probe = true;
  }

  /** A probe of the preferred feed failed: this connection stays on its feed, and says why. */
  void probeFailed(String why) {
    synchronized (this) {
      feeds.probeFailed(why);
    }
  }

  private void closed(int attempt, CloseReason closeReason) {
    failed(attempt, ErrorStrategies.network(),
        "closed by upstream: " + closeReason.getCloseCode().getCode() + " " + closeReason.getReasonPhrase());
  }

  /** One error path for every failure of an attempt: close it, pick the delay, schedule the next. */
  private void failed(int attempt, ErrorStrategies.ErrorStrategy row, String why) {
    Session toClose;
    synchronized (this) {
      if (attempt != generation || state == UpstreamState.STOPPED) {
        return;
      }
    }
    if (retired) {
      LOG.info(() -> settings.name() + ": replaced session ended (" + why + ")");
      stop();
      return;
    }
    if (probe) {
      LOG.warning(() -> settings.name() + ": probe of " + feed() + " failed (" + why + "); the current feed stays");
      stop();
      listener.probeFailed(why);
      return;
    }
    synchronized (this) {
      if (attempt != generation || state == UpstreamState.STOPPED) {
        return;
      }
      Instant now = clock.instant();
      boolean healthy = state == UpstreamState.CONNECTED
          && Duration.between(since, now).compareTo(settings.quickReconnect().healthyAfter()) >= 0;
      generation++;
      cancelTimers();
      toClose = session;
      session = null;
      Duration delay = retry.after(row, why, figures, feeds, now, healthy);
      UpstreamState next = retry.stateAfter(row, delay);
      if (!figures.escalated && figures.consecutiveFailures >= settings.escalateAfter()) {
        figures.escalated = true;
        LOG.severe(settings.name() + ": ESCALATED after " + figures.consecutiveFailures
            + " consecutive failures; last: " + why + " (" + row.meaning() + "; remedy: " + row.remedy()
            + "). Still retrying.");
      }
      LOG.warning(settings.name() + ": " + why + "; next attempt in " + delay.toMillis() + " ms");
      transition(next, why);
      scheduleConnect(delay);
    }
    closeQuietly(toClose, CloseReason.CloseCodes.GOING_AWAY, "reconnecting");
  }

  private boolean transition(UpstreamState to, String why) {
    UpstreamState from = state;
    if (!from.canMoveTo(to)) {
      LOG.severe(settings.name() + ": BUG: illegal transition " + from + " -> " + to + " (" + why + ") refused");
      return false;
    }
    state = to;
    since = clock.instant();
    reason = why;
    LOG.info(() -> settings.name() + ": " + from + " -> " + to + " (" + why + ")");
    try {
      listener.stateChanged(new UpstreamStateChanged(
          settings.name(), protocol.provider(), protocol.stream(), from, to, since, why));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, settings.name() + ": state listener failed", e);
    }
    return true;
  }

  private void cancelTimers() {
    cancel(authDeadline);
    cancel(keepalive);
    cancel(pongDeadline);
    cancel(reprobe);
    cancel(aged);
    pingSentAt = null;
  }

  /** Sends control frames through the protocol's pace; a paced frame is dropped if its attempt ended. */
  private void send(Session target, int attempt, List<Frame> frames) {
    if (target == null) {
      return;
    }
    for (Frame frame : frames) {
      sender.send(target, frame, () -> isCurrent(attempt));
    }
  }

  private synchronized boolean isCurrent(int attempt) {
    return attempt == generation && session != null;
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  private void closeQuietly(Session target, CloseReason.CloseCode code, String why) {
    if (target != null && target.isOpen()) {
      try {
        target.close(new CloseReason(code, why));
      } catch (IOException | RuntimeException e) {
        LOG.fine(() -> settings.name() + ": close failed: " + e.getMessage());
      }
    }
  }

  /** The callbacks of one attempt: each ignored once the attempt is superseded. */
  private AttemptEndpoint endpoint(int attempt) {
    return new AttemptEndpoint(settings.name(), new AttemptEndpoint.Callbacks() {
      @Override
      public void opened(Session session) {
        UpstreamConnection.this.opened(attempt, session);
      }

      @Override
      public void text(String frame) {
        onFrame(attempt, frame.length(), () -> protocol.decode(frame));
      }

      @Override
      public void binary(ByteBuffer frame) {
        onFrame(attempt, frame.remaining(), () -> protocol.decode(frame));
      }

      @Override
      public void pong() {
        onPong(attempt);
      }

      @Override
      public void closed(CloseReason reason) {
        UpstreamConnection.this.closed(attempt, reason);
      }
    });
  }
}
