package io.tickrelay.binance;

import io.tickrelay.delivery.Outbox;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Binance spot market streams as a client can tell them apart (upstream-protocols.md §2): combined
 * streams from {@code ?streams=a/b} and live SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS with {@code
 * id} echo, Binance's error replies, a disconnect above 5 incoming messages per second (pongs
 * included), at most 1024 streams, server pings and a disconnect without pong, and a maximum
 * connection age. Independent of any container, so the WAR's endpoint and the tests' in-process
 * server share it.
 */
public final class BinanceSimulator {

  private static final Logger LOG = Logger.getLogger(BinanceSimulator.class.getName());
  private static final int OUTBOX_FRAMES = 8192;
  private static final Pattern STREAM = Pattern.compile(
      "[a-z0-9]+@(trade|aggTrade|bookTicker|miniTicker|avgPrice|ticker(_1h|_4h|_1d)?"
          + "|kline_(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)(@\\+08:00)?"
          + "|depth(5|10|20)?(@100ms)?)|!(miniTicker|ticker(_1h|_4h|_1d)?)@arr");

  private final BinanceSimulatorSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final BinanceMarket market;
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> loops = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger rateDisconnects = new AtomicInteger();
  private final AtomicInteger pongTimeouts = new AtomicInteger();
  private final AtomicInteger ageCloses = new AtomicInteger();
  private final AtomicInteger pongsMatched = new AtomicInteger();
  private final AtomicInteger pongsMismatched = new AtomicInteger();

  public BinanceSimulator(
      BinanceSimulatorSettings settings, ScheduledExecutorService scheduler, Clock clock, long seed) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.market = new BinanceMarket(seed, settings.listed(), settings.barInterval());
  }

  /** Starts the trade loop and the kline clock. */
  public synchronized void start() {
    long tick = settings.tickInterval().toNanos();
    loops.add(scheduler.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS));
    long kline = settings.klineUpdateInterval().toMillis();
    loops.add(scheduler.scheduleAtFixedRate(this::klines, kline, kline, TimeUnit.MILLISECONDS));
  }

  /** Stops ticking and closes every session with 1001. */
  public synchronized void stop() {
    loops.forEach(loop -> loop.cancel(false));
    loops.clear();
    for (Peer peer : peers.values()) {
      peer.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "simulator stopping"));
    }
    peers.clear();
  }

  /**
   * A session opened with the URL's {@code streams} parameter (slash-separated, possibly absent).
   * A malformed name closes it with 1008, as Binance does (§2.2).
   */
  public void opened(Session session, String streamsParameter) {
    opened.incrementAndGet();
    Set<String> initial = new LinkedHashSet<>();
    if (streamsParameter != null && !streamsParameter.isEmpty()) {
      for (String name : streamsParameter.split("/", -1)) {
        if (!STREAM.matcher(name).matches()) {
          closeQuietly(session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
              "{\"code\":-1,\"msg\":\"Illegal format ws or stream\"}"));
          return;
        }
        initial.add(name);
      }
    }
    if (initial.size() > settings.maxStreamsPerConnection()) {
      closeQuietly(session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "Too many streams"));
      return;
    }
    Peer peer = new Peer(session, initial, clock.instant());
    peers.put(session.getId(), peer);
    long pingMs = settings.pingInterval().toMillis();
    peer.pinger = scheduler.scheduleAtFixedRate(() -> ping(peer), pingMs, pingMs, TimeUnit.MILLISECONDS);
    peer.expiry = scheduler.schedule(() -> expire(peer), settings.maxConnectionAge().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public void text(Session session, String text) {
    Peer peer = peers.get(session.getId());
    if (peer == null || !admitted(peer)) {
      return;
    }
    try {
      ControlRequest request = ControlRequest.parse(text);
      peer.send(handle(peer, request));
    } catch (ControlRequest.Refused refused) {
      peer.send(refused.reply);
    }
  }

  /** A pong frame: it counts against the rate limit and answers a ping only when it echoes it. */
  public void pong(Session session, ByteBuffer payload) {
    Peer peer = peers.get(session.getId());
    if (peer == null || !admitted(peer)) {
      return;
    }
    String echoed = StandardCharsets.UTF_8.decode(payload).toString();
    synchronized (peer) {
      if (peer.pingsOutstanding.remove(echoed)) {
        peer.lastAnsweredAt = clock.instant();
        pongsMatched.incrementAndGet();
      } else {
        pongsMismatched.incrementAndGet(); // unsolicited: allowed, but keeps nobody alive (§2.3)
      }
    }
  }

  public void closed(Session session) {
    Peer peer = peers.remove(session.getId());
    if (peer != null) {
      peer.cancelTimers();
    }
  }

  private String handle(Peer peer, ControlRequest request) throws ControlRequest.Refused {
    switch (request.method()) {
      case "SUBSCRIBE", "UNSUBSCRIBE" -> {
        List<String> names = streamNames(request);
        synchronized (peer) {
          Set<String> next = new LinkedHashSet<>(peer.streams);
          if (request.method().equals("SUBSCRIBE")) {
            next.addAll(names);
          } else {
            names.forEach(next::remove);
          }
          if (next.size() > settings.maxStreamsPerConnection()) {
            // Binance documents the cap, not the reply (§6.9): refused whole, nothing changes
            throw new ControlRequest.Refused(2, "Invalid request: too many streams, at most "
                + settings.maxStreamsPerConnection() + " per connection", request.id());
          }
          peer.streams = Set.copyOf(next);
          peer.order = List.copyOf(next);
        }
        return ControlRequest.result("null", request.id());
      }
      case "LIST_SUBSCRIPTIONS" -> {
        StringBuilder list = new StringBuilder("[");
        for (String name : peer.order) {
          list.append(list.length() > 1 ? "," : "").append('"').append(name).append('"');
        }
        return ControlRequest.result(list.append(']').toString(), request.id());
      }
      case "GET_PROPERTY" -> {
        property(request);
        return ControlRequest.result(Boolean.toString(peer.combined), request.id());
      }
      default -> { // SET_PROPERTY
        property(request);
        if (request.params().size() != 2
            || !(request.params().get(1) == JsonValue.TRUE || request.params().get(1) == JsonValue.FALSE)) {
          throw new ControlRequest.Refused(1, "Invalid value type: expected Boolean", request.id());
        }
        peer.combined = request.params().get(1) == JsonValue.TRUE;
        return ControlRequest.result("null", request.id());
      }
    }
  }

  private static void property(ControlRequest request) throws ControlRequest.Refused {
    if (request.params().isEmpty() || !(request.params().get(0) instanceof JsonString name)) {
      throw new ControlRequest.Refused(2, "Invalid request: property name must be a string", request.id());
    }
    if (!name.getString().equals("combined")) {
      throw new ControlRequest.Refused(0, "Unknown property", request.id());
    }
  }

  private static List<String> streamNames(ControlRequest request) throws ControlRequest.Refused {
    List<String> names = new ArrayList<>();
    for (JsonValue param : request.params()) {
      if (!(param instanceof JsonString s) || !STREAM.matcher(s.getString()).matches()) {
        throw new ControlRequest.Refused(2, "Invalid request: invalid stream", request.id());
      }
      names.add(s.getString());
    }
    return names;
  }

  /** Counts an incoming message; above the limit in the last second the session is closed. */
  private boolean admitted(Peer peer) {
    long now = System.nanoTime();
    synchronized (peer) {
      peer.incoming.add(now);
      peer.incoming.removeIf(at -> now - at > 1_000_000_000L);
      if (peer.incoming.size() <= settings.maxIncomingPerSecond()) {
        return true;
      }
    }
    rateDisconnects.incrementAndGet();
    LOG.info(() -> "binance simulator: session " + peer.session.getId() + " sent too many messages");
    peer.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "Too many requests"));
    return false;
  }

  private void ping(Peer peer) {
    try {
      Instant now = clock.instant();
      synchronized (peer) {
        if (Duration.between(peer.lastAnsweredAt, now).compareTo(settings.pongTimeout()) > 0) {
          pongTimeouts.incrementAndGet();
          peer.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "pong timeout"));
          return;
        }
      }
      String payload = Long.toString(now.toEpochMilli()) + "-" + peer.pingCount++;
      synchronized (peer) {
        peer.pingsOutstanding.add(payload);
      }
      peer.session.getAsyncRemote().sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | IllegalStateException e) {
      LOG.fine(() -> "binance simulator: ping failed: " + e.getMessage()); // next tick tries again
    } catch (RuntimeException e) { // the timer must survive one bad ping
      LOG.log(Level.WARNING, "binance simulator ping failed", e);
    }
  }

  private void expire(Peer peer) {
    ageCloses.incrementAndGet();
    // Binance: "a single connection is only valid for 24 hours"; the close code is not documented
    peer.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "connection age limit"));
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      for (String symbol : wanted(false)) {
        List<String> payloads;
        synchronized (market) {
          payloads = market.trade(symbol, now);
        }
        String lower = symbol.toLowerCase(Locale.ROOT);
        deliver(lower + "@" + BinanceChannels.TRADE, payloads.get(0));
        deliver(lower + "@" + BinanceChannels.BOOK_TICKER, payloads.get(1));
      }
    } catch (RuntimeException e) { // the loop must survive one bad tick
      LOG.log(Level.WARNING, "binance simulator tick failed", e);
    }
  }

  private void klines() {
    try {
      Instant now = clock.instant();
      for (String symbol : wanted(true)) {
        List<String> klines;
        synchronized (market) {
          klines = market.klines(symbol, now);
        }
        for (String kline : klines) {
          deliver(symbol.toLowerCase(Locale.ROOT) + "@" + BinanceChannels.KLINE_1M, kline);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "binance simulator kline update failed", e);
    }
  }

  /** Listed symbols some session streams: any stream for trading, kline streams for klines. */
  private Set<String> wanted(boolean klinesOnly) {
    Set<String> symbols = new LinkedHashSet<>();
    for (Peer peer : peers.values()) {
      for (String name : peer.streams) {
        int at = name.indexOf('@');
        if (at > 0 && (!klinesOnly || name.endsWith("@" + BinanceChannels.KLINE_1M))) {
          String symbol = name.substring(0, at).toUpperCase(Locale.ROOT);
          if (market.listed(symbol)) {
            symbols.add(symbol);
          }
        }
      }
    }
    return symbols;
  }

  private void deliver(String stream, String payload) {
    String combined = null;
    for (Peer peer : peers.values()) {
      if (peer.streams.contains(stream)) {
        if (peer.combined) {
          if (combined == null) {
            combined = "{\"stream\":\"" + stream + "\",\"data\":" + payload + "}";
          }
          peer.send(combined);
        } else {
          peer.send(payload);
        }
      }
    }
  }

  /** The first and last trade id generated for a Binance symbol ({@code BTCUSDT}), 0 if none. */
  public long[] tradeIds(String symbol) {
    synchronized (market) {
      return market.tradeIds(symbol);
    }
  }

  /** The streams of every open session, one set per session. */
  public List<Set<String>> sessionStreams() {
    return peers.values().stream().map(p -> p.streams).toList();
  }

  public int sessions() {
    return peers.size();
  }

  public int connectionsOpened() {
    return opened.get();
  }

  public int rateDisconnects() {
    return rateDisconnects.get();
  }

  public int pongTimeouts() {
    return pongTimeouts.get();
  }

  public int ageCloses() {
    return ageCloses.get();
  }

  /** Pongs that echoed an outstanding ping's payload, and pongs that did not. */
  public int[] pongs() {
    return new int[] {pongsMatched.get(), pongsMismatched.get()};
  }

  private static void closeQuietly(Session session, CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException e) {
      LOG.fine(() -> "binance simulator: close failed: " + e.getMessage());
    }
  }

  /** One connected client. */
  private static final class Peer {
    final Session session;
    final Outbox outbox;
    final Collection<Long> incoming = new ArrayList<>();
    final Set<String> pingsOutstanding = new LinkedHashSet<>();
    volatile Set<String> streams;
    volatile List<String> order;
    volatile boolean combined = true; // the simulator serves /stream, so combined (§2.2)
    Instant lastAnsweredAt;
    long pingCount;
    ScheduledFuture<?> pinger;
    ScheduledFuture<?> expiry;

    Peer(Session session, Set<String> initial, Instant openedAt) {
      this.session = session;
      this.outbox = new Outbox(session, false, OUTBOX_FRAMES);
      this.streams = Set.copyOf(initial);
      this.order = List.copyOf(initial);
      this.lastAnsweredAt = openedAt;
    }

    void send(String frame) {
      if (!outbox.offer(frame.getBytes(StandardCharsets.UTF_8))) {
        close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client"));
      }
    }

    void close(CloseReason reason) {
      cancelTimers();
      outbox.abort(reason);
    }

    void cancelTimers() {
      if (pinger != null) {
        pinger.cancel(false);
      }
      if (expiry != null) {
        expiry.cancel(false);
      }
    }
  }
}
