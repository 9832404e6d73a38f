package io.tickrelay.trading;

import io.tickrelay.config.Credential;
import io.tickrelay.delivery.Outbox;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Alpaca's trading stream as a client can tell it apart (package docs): authenticate, listen,
 * binary JSON frames, and the lifecycle of simulated orders ({@code new}, {@code partial_fill},
 * {@code fill}, now and then {@code canceled}) at a configurable rate, plus {@link #fill} for tests.
 * Independent of any container: the WAR's endpoint and the tests' in-process server share it.
 */
public final class TradingSimulator {

  private static final Logger LOG = Logger.getLogger(TradingSimulator.class.getName());
  private static final int OUTBOX_FRAMES = 1024;

  private final Credential account;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final SimulatedOrders orders;
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger refusals =
      new java.util.concurrent.atomic.AtomicInteger();
  private ScheduledFuture<?> loop;

  /**
   * @param account the key and secret it accepts
   * @param interval time between two lifecycle events
   */
  public TradingSimulator(
      Credential account, Duration interval, ScheduledExecutorService scheduler, Clock clock,
      long seed) {
    this.account = account;
    this.interval = interval;
    this.scheduler = scheduler;
    this.orders = new SimulatedOrders(clock, seed);
  }

  public synchronized void start() {
    long ms = Math.max(1, interval.toMillis());
    loop = scheduler.scheduleAtFixedRate(() -> broadcast(orders.next()), ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops emitting and closes every session with 1001. */
  public synchronized void stop() {
    if (loop != null) {
      loop.cancel(false);
      loop = null;
    }
    peers.values().forEach(p -> p.outbox.abort(
        new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "simulator stopping")));
    peers.clear();
  }

  /** Emits a complete fill of a new order, at once, to every listening session. */
  public String fill(String symbol, String qty, String price) {
    String data = orders.fill(symbol, qty, price);
    broadcast(data);
    return data;
  }

  /** Fault injection: closes every session, as an upstream restart would. */
  public void disconnectAll(CloseReason reason) {
    peers.values().forEach(p -> p.outbox.abort(reason));
  }

  /** How many authentication attempts it answered with {@code unauthorized}. */
  public int refusals() {
    return refusals.get();
  }

  public int sessions() {
    return peers.size();
  }

  public long listeners() {
    return peers.values().stream().filter(p -> p.listening).count();
  }

  public void opened(Session session) {
    peers.put(session.getId(), new Peer(session));
  }

  public void text(Session session, String text) {
    Peer peer = peers.get(session.getId());
    if (peer != null) {
      handle(peer, text);
    }
  }

  public void binary(Session session, byte[] frame) {
    text(session, new String(frame, StandardCharsets.UTF_8));
  }

  public void closed(Session session) {
    peers.remove(session.getId());
  }

  private void handle(Peer peer, String text) {
    TradingRequest request;
    try {
      request = TradingRequest.parse(text);
    } catch (TradingRequest.Malformed e) {
      peer.outbox.offer(TradingFrames.error(e.getMessage()));
      return;
    }
    if (request instanceof TradingRequest.Authenticate auth) {
      if (auth.key().equals(account.key()) && account.secretMatches(auth.secret())) {
        peer.authorized = true;
        peer.outbox.offer(TradingFrames.authorization(TradingFrames.AUTHORIZED, "authenticate"));
      } else {
        refusals.incrementAndGet();
        LOG.info(() -> "trading simulator: key " + auth.key() + " refused");
        peer.outbox.finish(
            TradingFrames.authorization(TradingFrames.UNAUTHORIZED, "authenticate"),
            new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "unauthorized"));
      }
    } else if (request instanceof TradingRequest.Listen listen) {
      if (!peer.authorized) {
        peer.outbox.offer(TradingFrames.authorization(TradingFrames.UNAUTHORIZED, "listen"));
        return;
      }
      // the set requested replaces the previous one; unknown streams are left out of the answer
      peer.listening = listen.streams().contains(TradingFrames.TRADE_UPDATES);
      peer.outbox.offer(TradingFrames.listening(
          peer.listening ? List.of(TradingFrames.TRADE_UPDATES) : List.of()));
    }
  }

  private void broadcast(String data) {
    byte[] frame = ("{\"stream\":\"trade_updates\",\"data\":" + data + "}")
        .getBytes(StandardCharsets.UTF_8);
    for (Peer peer : peers.values()) {
      if (peer.listening && !peer.outbox.offer(frame)) {
        peer.outbox.abort(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client"));
      }
    }
  }

  private static final class Peer {
    final Outbox outbox;
    volatile boolean authorized;
    volatile boolean listening;

    Peer(Session session) {
      // Alpaca's paper trading stream sends binary frames (docs, websocket-streaming note)
      this.outbox = new Outbox(session, true, OUTBOX_FRAMES);
    }
  }

  static void closeQuietly(Session session, CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException e) {
      LOG.fine(() -> "trading simulator: close failed: " + e.getMessage());
    }
  }
}
