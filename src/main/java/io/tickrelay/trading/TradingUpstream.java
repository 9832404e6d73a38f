package io.tickrelay.trading;

import io.tickrelay.marketdata.TradeUpdate;
import io.tickrelay.upstream.Backoff;
import io.tickrelay.upstream.SafeUrl;
import io.tickrelay.upstream.Transport;
import io.tickrelay.upstream.UpstreamSettings;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The one connection to the account's trading stream: connects while wanted, authenticates with
 * credentials read afresh before every attempt, listens to {@code trade_updates}, hands each
 * update on, and reconnects with backoff. Kept small and separate until the provider-neutral
 * upstream lifecycle can carry it.
 */
final class TradingUpstream {

  private static final Logger LOG = Logger.getLogger(TradingUpstream.class.getName());

  /** Where the connection stands, for logs and tests. */
  enum State { IDLE, CONNECTING, AUTHENTICATING, LISTENING, WAITING, STOPPED }

  private final Transport transport;
  private final Supplier<URI> url;
  private final Supplier<UpstreamSettings.Credentials> credentials;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Consumer<List<TradeUpdate>> sink;

  private State state = State.IDLE;
  private boolean wanted;
  private int failures;
  private Session session;
  private Link current;
  private ScheduledFuture<?> pending;

  TradingUpstream(
      Transport transport, Supplier<URI> url, Supplier<UpstreamSettings.Credentials> credentials,
      Backoff backoff, ScheduledExecutorService scheduler, Clock clock,
      Consumer<List<TradeUpdate>> sink) {
    this.transport = transport;
    this.url = url;
    this.credentials = credentials;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.clock = clock;
    this.sink = sink;
  }

  synchronized State state() {
    return state;
  }

  /** Connects (soon, not on this thread) when wanted; closes with 1000 when no longer wanted. */
  synchronized void want(boolean wanted) {
    if (state == State.STOPPED || this.wanted == wanted) {
      return;
    }
    this.wanted = wanted;
    if (wanted && state == State.IDLE) {
      schedule(0);
    } else if (!wanted) {
      cancelPending();
      closeSession(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "no demand"));
      state = State.IDLE;
    }
  }

  synchronized void stop() {
    state = State.STOPPED;
    wanted = false;
    cancelPending();
    closeSession(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "gateway stopping"));
  }

  private void schedule(long delayMs) {
    state = delayMs == 0 ? State.CONNECTING : State.WAITING;
    pending = scheduler.schedule(this::connect, delayMs, TimeUnit.MILLISECONDS);
  }

  private void connect() {
    URI target;
    Link link;
    synchronized (this) {
      if (!wanted || state == State.STOPPED) {
        return;
      }
      state = State.CONNECTING;
      target = url.get();
      link = new Link(credentials.get());
      current = link;
    }
    try {
      Session opened = transport.connect(link, ClientEndpointConfig.Builder.create().build(), target);
      synchronized (this) {
        if (!wanted || state == State.STOPPED) {
          closeQuietly(opened, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "no demand"));
          return;
        }
        session = opened;
      }
    } catch (DeploymentException | IOException | RuntimeException e) {
      LOG.warning("trading upstream " + SafeUrl.of(target) + ": connect failed: " + e.getMessage());
      retry(link);
    }
  }

  /** After a failure or close: try again with backoff while wanted. */
  private synchronized void retry(Link failed) {
    if (failed != current) {
      return; // an older session's late close
    }
    current = null;
    session = null;
    if (state == State.STOPPED) {
      return;
    }
    if (!wanted) {
      state = State.IDLE;
      return;
    }
    failures++;
    long delayMs = backoff.delay(failures, ThreadLocalRandom.current().nextDouble()).toMillis();
    LOG.info("trading upstream: reconnecting in " + delayMs + " ms (attempt " + failures + ")");
    schedule(delayMs);
  }

  private synchronized void listening() {
    if (state != State.STOPPED) {
      state = State.LISTENING;
      failures = 0;
    }
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  private void closeSession(CloseReason reason) {
    Session open = session;
    session = null;
    current = null;
    if (open != null) {
      closeQuietly(open, reason);
    }
  }

  private static void closeQuietly(Session session, CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException | IllegalStateException e) {
      LOG.fine(() -> "trading upstream: close failed: " + e.getMessage());
    }
  }

  /** One session's conversation; its callbacks never throw. */
  private final class Link extends Endpoint {

    private final UpstreamSettings.Credentials account;

    Link(UpstreamSettings.Credentials account) {
      this.account = account;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> received(session, text));
      session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) frame ->
          received(session, StandardCharsets.UTF_8.decode(frame).toString()));
      synchronized (TradingUpstream.this) {
        state = State.AUTHENTICATING;
      }
      send(session, TradingFrames.authenticate(account.keyId(), account.secret()));
    }

    private void received(Session session, String text) {
      TradingFrames.Received frame;
      try {
        frame = TradingFrames.decode(text, clock.instant());
      } catch (IllegalArgumentException e) {
        LOG.warning("trading upstream: unreadable frame ignored: " + e.getMessage());
        return;
      }
      try {
        handle(session, frame);
      } catch (RuntimeException e) {
        LOG.warning("trading upstream: handling " + frame.getClass().getSimpleName() + " failed: " + e);
      }
    }

    private void handle(Session session, TradingFrames.Received frame) {
      if (frame instanceof TradingFrames.Authorization auth) {
        if (TradingFrames.AUTHORIZED.equals(auth.status())) {
          send(session, TradingFrames.listen(List.of(TradingFrames.TRADE_UPDATES)));
        } else {
          LOG.warning("trading upstream: key " + account.keyId() + " " + auth.status()
              + " (" + auth.action() + ")");
          closeQuietly(session, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "unauthorized"));
        }
      } else if (frame instanceof TradingFrames.Listening listening) {
        if (listening.streams().contains(TradingFrames.TRADE_UPDATES)) {
          LOG.info("trading upstream: listening to trade_updates");
          listening();
        } else {
          LOG.warning("trading upstream: trade_updates not available to this account");
        }
      } else if (frame instanceof TradingFrames.Update update) {
        sink.accept(List.of(update.update()));
      } else if (frame instanceof TradingFrames.Failure failure) {
        LOG.warning("trading upstream: error " + failure.message());
      }
    }

    private void send(Session session, byte[] frame) {
      session.getAsyncRemote().sendText(new String(frame, StandardCharsets.UTF_8), result -> {
        if (!result.isOK()) {
          LOG.fine(() -> "trading upstream: send failed: " + result.getException());
        }
      });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
      LOG.info("trading upstream: closed " + reason.getCloseCode().getCode() + " "
          + reason.getReasonPhrase());
      retry(this);
    }

    @Override
    public void onError(Session session, Throwable error) {
      LOG.fine(() -> "trading upstream: " + error);
    }
  }
}
