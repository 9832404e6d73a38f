package io.tickrelay.binance;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  static final Pattern STREAM = Pattern.compile(
      "[a-z0-9]+@(trade|aggTrade|bookTicker|miniTicker|avgPrice|ticker(_1h|_4h|_1d)?"
          + "|kline_(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)(@\\+08:00)?"
          + "|depth(5|10|20)?(@100ms)?)|!(miniTicker|ticker(_1h|_4h|_1d)?)@arr");

  private final BinanceSimulatorSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final BinanceMarket market;
  private final Map<String, SimulatedSession> peers = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> loops = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger rateDisconnects = new AtomicInteger();
  private final AtomicInteger pongTimeouts = new AtomicInteger();
  private final AtomicInteger ageCloses = new AtomicInteger();
  private final AtomicInteger shutdownNotices = new AtomicInteger();
  private final AtomicInteger pongsMatched = new AtomicInteger();
  private final AtomicInteger pongsMismatched = new AtomicInteger();

  public BinanceSimulator(
      BinanceSimulatorSettings settings, ScheduledExecutorService scheduler, Clock clock, long seed) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.market = new BinanceMarket(seed, settings.listed(), settings.barInterval());
  }

  /** Its symbol list, as Binance's {@code GET /api/v3/exchangeInfo} answers. */
  public String exchangeInfo() {
    return ExchangeInfo.of(settings.listed(), BinanceSymbols.defaults());
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
    for (SimulatedSession peer : peers.values()) {
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
    SimulatedSession peer = new SimulatedSession(session, initial, clock.instant(), OUTBOX_FRAMES);
    peers.put(session.getId(), peer);
    long pingMs = settings.pingInterval().toMillis();
    peer.pinger = scheduler.scheduleAtFixedRate(() -> ping(peer), pingMs, pingMs, TimeUnit.MILLISECONDS);
    peer.expiry = scheduler.schedule(() -> expire(peer), settings.maxConnectionAge().toMillis(),
        TimeUnit.MILLISECONDS);
    Duration lead = settings.shutdownNotice();
    if (!lead.isZero() && lead.compareTo(settings.maxConnectionAge()) < 0) {
      peer.notice = scheduler.schedule(() -> announceShutdown(peer),
          settings.maxConnectionAge().minus(lead).toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public void text(Session session, String text) {
    SimulatedSession peer = peers.get(session.getId());
    if (peer == null || !admitted(peer)) {
      return;
    }
    try {
      ControlRequest request = ControlRequest.parse(text);
      peer.send(peer.handle(request, settings.maxStreamsPerConnection()));
    } catch (ControlRequest.Refused refused) {
      peer.send(refused.reply);
    }
  }

  /** A pong frame: it counts against the rate limit and answers a ping only when it echoes it. */
  public void pong(Session session, ByteBuffer payload) {
    SimulatedSession peer = peers.get(session.getId());
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
    SimulatedSession peer = peers.remove(session.getId());
    if (peer != null) {
      peer.cancelTimers();
    }
  }

  /** Counts an incoming message; above the limit in the last second the session is closed. */
  private boolean admitted(SimulatedSession peer) {
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

  private void ping(SimulatedSession peer) {
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

  /** The combined-stream shape of Binance's {@code serverShutdown} event (§2.3). */
  private void announceShutdown(SimulatedSession peer) {
    shutdownNotices.incrementAndGet();
    peer.send("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":"
        + clock.millis() + "}}");
  }

  /** {@code serverShutdown} events sent so far. */
  public int shutdownNotices() {
    return shutdownNotices.get();
  }

  private void expire(SimulatedSession peer) {
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
    for (SimulatedSession peer : peers.values()) {
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
    for (SimulatedSession peer : peers.values()) {
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

  /** The first and last trade id generated for a Binance symbol ({@code BTCUSDT}), zeros if none. */
  public TradeIds tradeIds(String symbol) {
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

  /** Pongs that echoed an outstanding ping's payload. */
  public int pongsMatched() {
    return pongsMatched.get();
  }

  /** Pongs that echoed no outstanding ping (unsolicited, or a wrong payload). */
  public int pongsUnmatched() {
    return pongsMismatched.get();
  }

  /** The trade ids a symbol has had: {@code first} to {@code last}, both inclusive. */
  public record TradeIds(long first, long last) {}

  private static void closeQuietly(Session session, CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException e) {
      LOG.fine(() -> "binance simulator: close failed: " + e.getMessage());
    }
  }
}
