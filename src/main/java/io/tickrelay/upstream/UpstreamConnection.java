package io.tickrelay.upstream;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.protocol.JsonCodec;
import io.tickrelay.protocol.ProtocolException;
import io.tickrelay.protocol.ServerMessage;
import io.tickrelay.protocol.WireFormat;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One upstream stock-stream connection and its whole lifecycle: connect, wait for {@code
 * connected}, authenticate, hold the union of client demand, watch for stalls, fall back and
 * re-probe feeds, and reconnect with backoff whatever goes wrong. State changes happen under this
 * object's lock; network calls never do. Each connection attempt has a generation number so that
 * callbacks of an abandoned attempt change nothing. It is long because the lifecycle is one story;
 * counters live in {@link ConnectionFigures}, the error table in {@link ErrorStrategies}.
 */
public final class UpstreamConnection {

  private static final Logger LOG = Logger.getLogger(UpstreamConnection.class.getName());
  private static final JsonCodec JSON = (JsonCodec) WireFormat.JSON.codec();
  private static final ErrorStrategies.ErrorStrategy STALL =
      new ErrorStrategies.ErrorStrategy(0, FailureReaction.RECONNECT,
          "the connection stalled: open but silent", "none: the gateway reconnects");

  private final UpstreamSettings settings;
  private final Transport transport;
  private final Tasks tasks;
  private final UpstreamListener listener;
  private final Clock clock;
  private final ConnectionFigures figures = new ConnectionFigures();

  private UpstreamState state = UpstreamState.DISCONNECTED;
  private Instant since;
  private String reason = "not started";
  private int feedIndex;
  private String feedReason = "first choice";
  private volatile String lastKeyId;
  private int probeReturnIndex = -1;
  private int generation;
  private Session session;
  private ScheduledFuture<?> pending;
  private ScheduledFuture<?> authDeadline;
  private ScheduledFuture<?> keepalive;
  private ScheduledFuture<?> pongDeadline;
  private ScheduledFuture<?> reprobe;
  private Instant pingSentAt;
  private boolean dataSinceConnect;
  /** What clients want: the full union of demand, re-sent after every reconnect. */
  private Interest demand = Interest.none();
  /** Subscription requests sent and not yet answered, oldest first (the provider answers in order). */
  private final Deque<Interest> inFlight = new ArrayDeque<>();

  public UpstreamConnection(
      UpstreamSettings settings,
      Transport transport,
      Tasks tasks,
      UpstreamListener listener,
      Clock clock) {
    this.settings = settings;
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
    List<byte[]> requests = new ArrayList<>();
    synchronized (this) {
      demand = demand.plus(change.added()).minus(change.removed());
      live = state == UpstreamState.CONNECTED ? session : null;
      if (live != null) {
        requests.addAll(requestsFor(true, change.added()));
        requests.addAll(requestsFor(false, change.removed()));
      }
    }
    requests.forEach(request -> send(live, request));
  }

  public synchronized UpstreamStatus status() {
    return new UpstreamStatus(
        settings.name(), "alpaca", SafeUrl.of(settings.feedUrl(feed())), settings.feeds(), feed(),
        feedReason, state, since, reason, figures.escalated, figures.lastMessageAt,
        figures.pingRoundTrip, figures.messagesIn, figures.bytesIn, figures.reconnects,
        figures.consecutiveFailures, figures.slowClientDisconnects, figures.lastError,
        figures.droppedChannelNames(), state == UpstreamState.STOPPED ? null : figures.nextAttemptAt,
        figures.startedAt, figures.lastDataAt);
  }

  public synchronized Interest currentDemand() {
    return demand;
  }

  /** Applies a transition if the state machine allows it; an illegal one is a bug, logged and refused. */
  synchronized boolean tryTransition(UpstreamState to, String why) {
    return transition(to, why);
  }

  private String feed() {
    return settings.feeds().get(feedIndex);
  }

  /** One request per channel, so that a 405 or 410 reply can be traced to its channel. */
  private List<byte[]> requestsFor(boolean subscribe, Interest interest) {
    List<byte[]> requests = new ArrayList<>();
    for (Channel channel : interest.channels()) {
      if (!figures.dropped(feed(), channel)) {
        Interest one = Interest.of(Map.of(channel, interest.symbols(channel)));
        inFlight.add(subscribe ? one : Interest.none());
        requests.add(JSON.subscriptionRequest(subscribe, one));
      }
    }
    return requests;
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
    synchronized (this) {
      if (state == UpstreamState.STOPPED || expected != generation) {
        return; // superseded: never two attempts in flight for one connection
      }
      attempt = ++generation;
      uri = settings.feedUrl(feed());
      figures.nextAttemptAt = null;
      transition(UpstreamState.CONNECTING, "connecting to " + SafeUrl.of(uri));
    }
    try {
      Session opened = transport.connect(new Listener(attempt), ClientEndpointConfig.Builder.create().build(), uri);
      synchronized (this) {
        if (attempt != generation) { // stopped or failed while the handshake ran
          closeQuietly(opened, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
        }
      }
    } catch (HandshakeRefused refused) {
      failed(attempt, ErrorStrategies.forHandshakeStatus(refused.status()), refused.getMessage());
    } catch (DeploymentException | IOException | RuntimeException e) {
      failed(attempt, ErrorStrategies.network(), "handshake failed: " + e.getMessage());
    }
  }

  private synchronized void opened(int attempt, Session opened) {
    if (attempt != generation) {
      closeQuietly(opened, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
      return;
    }
    session = opened;
    transition(UpstreamState.AUTHENTICATING, "handshake done, waiting for connected");
    authDeadline = tasks.schedule(() -> failed(attempt, ErrorStrategies.forCode(404),
        "no connected and authenticated within " + settings.authTimeout()), settings.authTimeout());
  }

  private void onFrame(int attempt, String frame) {
    List<ServerMessage> messages;
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      figures.received(frame.length(), clock.instant());
    }
    try {
      messages = JSON.decodeServer(frame);
    } catch (ProtocolException e) {
      LOG.warning(() -> settings.name() + ": unreadable upstream frame ignored: " + e.getMessage());
      return;
    }
    List<MarketEvent> events = new ArrayList<>(messages.size());
    for (ServerMessage message : messages) {
      if (message instanceof ServerMessage.Data data) {
        events.add(data.event());
      } else if (message instanceof ServerMessage.Success success) {
        onSuccess(attempt, success.msg());
      } else if (message instanceof ServerMessage.Failure failure) {
        onFailure(attempt, failure);
      } else if (message instanceof ServerMessage.SubscriptionState ack) {
        onAck(attempt, ack.interest());
      }
    }
    if (!events.isEmpty()) {
      onData(attempt, events);
    }
  }

  private void onData(int attempt, List<MarketEvent> events) {
    String feed;
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      figures.messagesIn += events.size();
      figures.lastDataAt = clock.instant();
      if (!dataSinceConnect) {
        dataSinceConnect = true;
        if (figures.escalated) {
          LOG.info(settings.name() + ": data flows again, escalation cleared");
        }
        figures.consecutiveFailures = 0; // the next failure starts the backoff afresh
        figures.escalated = false;
      }
      feed = feed();
    }
    listener.received(new MarketDataReceived(Streams.STOCKS, feed, events));
  }

  /**
   * The credentials for this attempt, read afresh so a rotated secret is used at the next
   * reconnect; a failing source keeps the credentials the gateway started with.
   */
  private UpstreamSettings.Credentials currentCredentials() {
    UpstreamSettings.Credentials fresh;
    try {
      fresh = settings.credentials().current();
    } catch (RuntimeException e) {
      LOG.warning(() -> settings.name() + ": credentials could not be re-read ("
          + e.getClass().getSimpleName() + "), using the ones it started with");
      fresh = null;
    }
    if (fresh == null || fresh.keyId() == null || fresh.secret() == null) {
      return new UpstreamSettings.Credentials(settings.keyId(), settings.secret());
    }
    String key = fresh.keyId();
    if (!key.equals(lastKeyId)) {
      String previous = lastKeyId;
      LOG.info(() -> settings.name() + ": authenticating with key " + key
          + (previous == null ? "" : " (was " + previous + ")"));
      lastKeyId = key;
    }
    return fresh;
  }

  private void onSuccess(int attempt, String msg) {
    if ("connected".equals(msg)) {
      Session current;
      synchronized (this) {
        if (attempt != generation || session == null) {
          return;
        }
        current = session;
      }
      UpstreamSettings.Credentials credentials = currentCredentials();
      send(current, JSON.auth(credentials.keyId(), credentials.secret()));
    } else if ("authenticated".equals(msg)) {
      becomeLive(attempt);
    }
  }

  private void becomeLive(int attempt) {
    Session current;
    List<byte[]> restore;
    FeedSelected selected;
    synchronized (this) {
      if (attempt != generation || session == null) {
        return;
      }
      current = session;
      cancel(authDeadline);
      dataSinceConnect = false;
      figures.lastDataAt = clock.instant();
      if (probeReturnIndex >= 0) {
        feedReason = "back on preferred feed " + feed() + " after re-probe";
        probeReturnIndex = -1;
      }
      transition(UpstreamState.CONNECTED, "authenticated on feed " + feed());
      inFlight.clear();
      restore = requestsFor(true, demand);
      selected = new FeedSelected(Streams.STOCKS, settings.name(), feed(), feedReason, clock.instant());
      keepalive = tasks.scheduleRepeating(() -> ping(attempt), settings.pingInterval());
      if (feedIndex > 0 && !settings.reprobeInterval().isZero()) {
        reprobe = tasks.schedule(() -> reprobe(attempt), settings.reprobeInterval());
      }
    }
    LOG.info(() -> settings.name() + ": live on feed " + selected.feed() + " (" + selected.reason()
        + "), restoring " + demand.symbolCount() + " subscriptions");
    listener.feedSelected(selected);
    restore.forEach(request -> send(current, request));
  }

  private void onFailure(int attempt, ServerMessage.Failure failure) {
    ErrorStrategies.ErrorStrategy row = ErrorStrategies.forCode(failure.code());
    String what = "upstream error " + failure.code() + " " + failure.msg();
    switch (row.reaction()) {
      case CARRY_ON -> LOG.warning(() -> settings.name() + ": " + what + " (connection kept)");
      case REJECT_REQUEST, DROP_CHANNEL -> rejected(attempt, row, what);
      default -> failed(attempt, row, what);
    }
  }

  /** A subscription request was refused (405) or named a channel the feed lacks (410). */
  private synchronized void rejected(int attempt, ErrorStrategies.ErrorStrategy row, String what) {
    if (attempt != generation) {
      return;
    }
    Interest request = inFlight.poll();
    figures.lastError = new UpstreamStatus.LastError(row.code(), what, row.meaning(), row.remedy(), clock.instant());
    if (row.reaction() == FailureReaction.DROP_CHANNEL && request != null) {
      for (Channel channel : request.channels()) {
        figures.drop(feed(), channel);
        LOG.warning(settings.name() + ": feed " + feed() + " does not offer " + channel.wireName()
            + " (" + what + "); no longer requested there");
      }
    } else {
      LOG.warning(settings.name() + ": " + what + "; the provider keeps the previous subscriptions"
          + (request == null ? "" : ", refused: " + request));
    }
  }

  private void onAck(int attempt, Interest acknowledged) {
    synchronized (this) {
      if (attempt != generation) {
        return;
      }
      inFlight.poll();
      if (!inFlight.isEmpty()) {
        return; // later requests are still on their way; the last acknowledgement settles it
      }
      Interest expected = Interest.none();
      for (Channel channel : demand.channels()) {
        if (!figures.dropped(feed(), channel)) {
          expected = expected.plus(Interest.of(Map.of(channel, demand.symbols(channel))));
        }
      }
      if (!acknowledged.equals(expected)) {
        LOG.warning(settings.name() + ": upstream holds " + acknowledged + " but demand is " + expected);
      }
    }
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
      Duration quiet = Duration.between(figures.lastDataAt, now);
      if (!settings.silenceWindow().isZero()
          && !demand.isEmpty()
          && quiet.compareTo(settings.silenceWindow()) > 0
          && SilenceRule.applies(settings.silenceCheck(), now)) {
        stall = "no data for " + quiet.toMillis() + " ms (silence window " + settings.silenceWindow() + ")";
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

  private synchronized void onPong(int attempt) {
    if (attempt == generation && pingSentAt != null) {
      figures.pingRoundTrip = Duration.between(pingSentAt, clock.instant());
      pingSentAt = null;
      cancel(pongDeadline);
    }
  }

  /** Live on a fallback feed: close and try the preferred feed again; a 409 brings us straight back. */
  private void reprobe(int attempt) {
    Session toClose;
    synchronized (this) {
      if (attempt != generation || state != UpstreamState.CONNECTED || feedIndex == 0) {
        return;
      }
      probeReturnIndex = feedIndex;
      String from = feed();
      feedIndex = 0;
      feedReason = "re-probing " + feed() + " from " + from;
      generation++;
      cancelTimers();
      toClose = session;
      session = null;
      transition(UpstreamState.DISCONNECTING, "re-probing preferred feed " + feed());
      transition(UpstreamState.DISCONNECTED, "re-probing preferred feed " + feed());
      scheduleConnect(Duration.ZERO);
    }
    closeQuietly(toClose, CloseReason.CloseCodes.NORMAL_CLOSURE, "moving to a better feed");
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
      generation++;
      cancelTimers();
      toClose = session;
      session = null;
      Duration delay = nextDelay(row, why);
      UpstreamState next =
          row.reaction() == FailureReaction.RECONNECT_SLOWLY || delay.equals(settings.backoff().max())
              && row.reaction() == FailureReaction.NEXT_FEED
              ? UpstreamState.ERROR
              : UpstreamState.BACKING_OFF;
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

  /** Under the lock: records the failure and returns how long to wait before the next attempt. */
  private Duration nextDelay(ErrorStrategies.ErrorStrategy row, String why) {
    Instant now = clock.instant();
    if (row.reaction() == FailureReaction.NEXT_FEED) {
      figures.lastError = new UpstreamStatus.LastError(row.code(), why, row.meaning(), row.remedy(), now);
      figures.reconnects++;
      if (probeReturnIndex >= 0) {
        feedIndex = probeReturnIndex;
        probeReturnIndex = -1;
        feedReason = settings.feeds().get(0) + " still refused on re-probe (409), staying on " + feed();
        return Duration.ZERO;
      }
      if (feedIndex + 1 < settings.feeds().size()) {
        String from = feed();
        feedIndex++;
        feedReason = from + " refused (409 insufficient subscription), fell back";
        LOG.warning(settings.name() + ": feed " + from + " is not in the plan, falling back to " + feed());
        return Duration.ZERO;
      }
      figures.consecutiveFailures++;
      feedReason = "no feed in " + settings.feeds() + " is in the plan";
      return settings.backoff().max();
    }
    figures.failed(row, why, now);
    Duration backoff = settings.backoff().delay(figures.consecutiveFailures, ThreadLocalRandom.current().nextDouble());
    return switch (row.reaction()) {
      case RECONNECT_SLOWLY -> settings.backoff().max();
      case WAIT_FOR_SLOT -> max(settings.connectionLimitWait(), backoff);
      case THROTTLED -> max(settings.throttledFloor(), backoff);
      case RECONNECT_COUNTED -> {
        figures.slowClientDisconnects++;
        yield backoff;
      }
      default -> backoff;
    };
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
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
      listener.stateChanged(new UpstreamStateChanged(settings.name(), from, to, since, why));
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
    pingSentAt = null;
  }

  private void send(Session target, byte[] json) {
    try {
      target.getAsyncRemote().sendText(new String(json, StandardCharsets.UTF_8), result -> {
        if (!result.isOK()) {
          LOG.fine(() -> settings.name() + ": send failed: " + result.getException());
        }
      });
    } catch (RuntimeException e) { // closed under us; the close callback handles the rest
      LOG.fine(() -> settings.name() + ": send failed: " + e);
    }
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

  /** The WebSocket callbacks of one connection attempt; they never throw. */
  private final class Listener extends Endpoint {

    private final int attempt;

    Listener(int attempt) {
      this.attempt = attempt;
    }

    @Override
    public void onOpen(Session opened, EndpointConfig config) {
      opened.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> guard(() -> onFrame(attempt, frame)));
      opened.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> guard(() -> onPong(attempt)));
      guard(() -> opened(attempt, opened));
    }

    @Override
    public void onClose(Session closedSession, CloseReason closeReason) {
      guard(() -> closed(attempt, closeReason));
    }

    @Override
    public void onError(Session errored, Throwable error) {
      LOG.fine(() -> settings.name() + ": transport error: " + error);
    }

    private void guard(Runnable action) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, settings.name() + ": callback failed", e);
      }
    }
  }
}
