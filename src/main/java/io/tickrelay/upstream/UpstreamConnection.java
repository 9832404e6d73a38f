package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
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
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One upstream stock-stream connection: connect, wait for {@code connected}, authenticate, hold
 * the union of client demand, and reconnect with backoff when anything goes wrong. All state
 * changes happen under this object's lock; network calls never do.
 */
public final class UpstreamConnection {

  private static final Logger LOG = Logger.getLogger(UpstreamConnection.class.getName());
  private static final JsonCodec JSON = (JsonCodec) WireFormat.JSON.codec();

  private final UpstreamSettings settings;
  private final Transport transport;
  private final ScheduledExecutorService scheduler;
  private final UpstreamListener listener;
  private final Clock clock;

  private UpstreamState state = UpstreamState.DISCONNECTED;
  private Instant since;
  private String reason = "not started";
  private int feedIndex;
  private String feedReason = "first choice";
  private int generation;
  private int failures;
  private int reconnects;
  private long messagesIn;
  private boolean dataSinceConnect;
  private Session session;
  private ScheduledFuture<?> pending;
  private ScheduledFuture<?> authDeadline;
  /** What clients want: the full union of demand, re-sent after every reconnect. */
  private Interest demand = Interest.none();

  public UpstreamConnection(
      UpstreamSettings settings,
      Transport transport,
      ScheduledExecutorService scheduler,
      UpstreamListener listener,
      Clock clock) {
    this.settings = settings;
    this.transport = transport;
    this.scheduler = scheduler;
    this.listener = listener;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** Schedules the first connect; never blocks on the network. */
  public synchronized void start() {
    if (state == UpstreamState.DISCONNECTED) {
      schedule(Duration.ZERO, "start");
    }
  }

  /** Marks the connection stopped first, so that nothing reconnects, then closes it with 1000. */
  public void stop() {
    Session toClose;
    synchronized (this) {
      if (state == UpstreamState.STOPPED) {
        return;
      }
      transition(UpstreamState.STOPPED, "gateway stopping");
      cancel(pending);
      cancel(authDeadline);
      generation++;
      toClose = session;
      session = null;
    }
    closeQuietly(toClose, CloseReason.CloseCodes.NORMAL_CLOSURE, "gateway stopping");
  }

  /** Applies a change of client demand: remembers it and, when live, subscribes upstream. */
  public void demand(DemandChanged change) {
    Session live;
    synchronized (this) {
      demand = demand.plus(change.added()).minus(change.removed());
      live = state == UpstreamState.CONNECTED ? session : null;
    }
    if (live != null) {
      if (!change.added().isEmpty()) {
        send(live, JSON.subscriptionRequest(true, change.added()));
      }
      if (!change.removed().isEmpty()) {
        send(live, JSON.subscriptionRequest(false, change.removed()));
      }
    }
  }

  public synchronized UpstreamStatus status() {
    return new UpstreamStatus(
        settings.name(),
        settings.feedUrl(feed()).toString(),
        feed(),
        state,
        since,
        reason,
        messagesIn,
        reconnects);
  }

  public synchronized Interest currentDemand() {
    return demand;
  }

  private String feed() {
    return settings.feeds().get(feedIndex);
  }

  private void connect(int expectedGeneration) {
    URI uri;
    int attempt;
    synchronized (this) {
      if (state == UpstreamState.STOPPED || expectedGeneration != generation) {
        return;
      }
      attempt = ++generation;
      uri = settings.feedUrl(feed());
      transition(UpstreamState.CONNECTING, "connecting to " + uri);
    }
    ClientEndpointConfig config =
        ClientEndpointConfig.Builder.create().preferredSubprotocols(List.of()).build();
    try {
      Session opened = transport.connect(new Listener(attempt), config, uri);
      synchronized (this) {
        if (attempt != generation) { // stopped or superseded while the handshake ran
          closeQuietly(opened, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
        }
      }
    } catch (DeploymentException | IOException | RuntimeException e) {
      failed(attempt, FailureReaction.RECONNECT, "handshake failed: " + e.getMessage());
    }
  }

  private synchronized void opened(int attempt, Session opened) {
    if (attempt != generation) {
      closeQuietly(opened, CloseReason.CloseCodes.NORMAL_CLOSURE, "superseded");
      return;
    }
    session = opened;
    transition(UpstreamState.AUTHENTICATING, "handshake done, waiting for connected");
    authDeadline =
        scheduler.schedule(
            () -> authTimedOut(attempt), settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void authTimedOut(int attempt) {
    failed(attempt, FailureReaction.RECONNECT, "no authenticated within " + settings.authTimeout());
  }

  private void onFrame(int attempt, String frame) {
    List<ServerMessage> messages;
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
        checkAck(ack.interest());
      }
    }
    if (!events.isEmpty()) {
      String feed;
      synchronized (this) {
        if (attempt != generation) {
          return;
        }
        messagesIn += events.size();
        if (!dataSinceConnect) {
          dataSinceConnect = true;
          failures = 0; // data flows again: the next failure starts the backoff afresh
        }
        feed = feed();
      }
      listener.received(new MarketDataReceived(feed, events));
    }
  }

  private void onSuccess(int attempt, String msg) {
    Session current;
    Interest toRestore = null;
    FeedSelected selected = null;
    synchronized (this) {
      if (attempt != generation || session == null) {
        return;
      }
      current = session;
      if ("authenticated".equals(msg)) {
        cancel(authDeadline);
        dataSinceConnect = false;
        transition(UpstreamState.CONNECTED, "authenticated on feed " + feed());
        toRestore = demand;
        selected = new FeedSelected(settings.name(), feed(), feedReason, clock.instant());
      }
    }
    if (selected != null) {
      listener.feedSelected(selected);
    }
    if ("connected".equals(msg)) {
      send(current, JSON.auth(settings.keyId(), settings.secret()));
    } else if (toRestore != null && !toRestore.isEmpty()) {
      send(current, JSON.subscriptionRequest(true, toRestore));
    }
  }

  private void onFailure(int attempt, ServerMessage.Failure failure) {
    FailureReaction reaction = FailureReaction.forCode(failure.code());
    String what = "upstream error " + failure.code() + " " + failure.msg();
    if (reaction == FailureReaction.CARRY_ON) {
      LOG.warning(() -> settings.name() + ": " + what + " (connection kept)");
    } else {
      failed(attempt, reaction, what);
    }
  }

  private void checkAck(Interest acknowledged) {
    Interest wanted = currentDemand();
    if (!acknowledged.equals(wanted)) {
      // a later subscribe may still be in flight; the next acknowledgement settles it
      LOG.fine(() -> settings.name() + ": upstream holds " + acknowledged + ", demand is " + wanted);
    }
  }

  private void closed(int attempt, CloseReason closeReason) {
    failed(
        attempt,
        FailureReaction.RECONNECT,
        "closed by upstream: " + closeReason.getCloseCode().getCode() + " "
            + closeReason.getReasonPhrase());
  }

  /** One error path for every failure of an attempt: close it, pick the delay, schedule. */
  private void failed(int attempt, FailureReaction reaction, String why) {
    Session toClose;
    synchronized (this) {
      if (attempt != generation || state == UpstreamState.STOPPED) {
        return;
      }
      generation++;
      cancel(authDeadline);
      toClose = session;
      session = null;
      failures++;
      reconnects++;
      Duration delay = settings.backoff().delay(failures, ThreadLocalRandom.current().nextDouble());
      switch (reaction) {
        case RECONNECT_SLOWLY -> delay = settings.backoff().max();
        case WAIT_FOR_SLOT -> delay = settings.connectionLimitWait();
        case NEXT_FEED -> {
          if (feedIndex + 1 < settings.feeds().size()) {
            String from = feed();
            feedIndex++;
            feedReason = from + " refused: " + why;
            delay = Duration.ZERO;
            failures = 0;
            LOG.warning(settings.name() + ": feed " + from + " not in plan, falling back to " + feed());
          } else {
            delay = settings.backoff().max();
          }
        }
        default -> {}
      }
      LOG.warning(settings.name() + ": " + why + "; reconnecting in " + delay);
      transition(UpstreamState.BACKING_OFF, why);
      schedule(delay, why);
    }
    closeQuietly(toClose, CloseReason.CloseCodes.GOING_AWAY, "reconnecting");
  }

  private void schedule(Duration delay, String why) {
    int expected = generation;
    cancel(pending);
    pending = scheduler.schedule(() -> connect(expected), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void transition(UpstreamState to, String why) {
    UpstreamState from = state;
    state = to;
    since = clock.instant();
    reason = why;
    LOG.info(() -> settings.name() + ": " + from + " -> " + to + " (" + why + ")");
    UpstreamStateChanged change = new UpstreamStateChanged(settings.name(), from, to, since, why);
    try {
      listener.stateChanged(change);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, settings.name() + ": state listener failed", e);
    }
  }

  private void send(Session target, byte[] json) {
    target
        .getAsyncRemote()
        .sendText(
            new String(json, StandardCharsets.UTF_8),
            result -> {
              if (!result.isOK()) {
                LOG.warning(settings.name() + ": send failed: " + result.getException());
              }
            });
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
      } catch (IOException e) {
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
      opened.addMessageHandler(
          String.class,
          (MessageHandler.Whole<String>)
              frame -> {
                try {
                  onFrame(attempt, frame);
                } catch (RuntimeException e) {
                  LOG.log(Level.WARNING, settings.name() + ": frame handling failed", e);
                }
              });
      opened(attempt, opened);
    }

    @Override
    public void onClose(Session closedSession, CloseReason closeReason) {
      closed(attempt, closeReason);
    }

    @Override
    public void onError(Session errored, Throwable error) {
      LOG.fine(() -> settings.name() + ": transport error: " + error);
    }
  }
}
