package io.tickrelay.simulator;

import io.tickrelay.delivery.Outbox;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.OrderBook;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.protocol.AssetClass;
import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.HandshakeCapture;
import io.tickrelay.protocol.JsonCodec;
import io.tickrelay.protocol.ProtocolException;
import io.tickrelay.protocol.WireCodec;
import io.tickrelay.protocol.WireFormat;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the simulator does, as Alpaca does it where a client can tell
 * (upstream-protocols.md §1.3-1.10): {@code connected} on open, auth by message or headers within
 * the auth window, 402/403/404/406/409, full subscription state after every change, and batched
 * trades, quotes and bars in JSON or msgpack, with now and then a halt and resumption, LULD bands,
 * imbalances, corrections and cancel/errors ({@link SimulatedIncidents}). It serves the stock feeds ({@code /v2/{feed}}) and
 * the crypto locations ({@code /v1beta3/crypto/{loc}}: crypto records and acknowledgement, order
 * books as a reset then deltas, 410 for stock-only channels). Independent of any container, so the
 * WAR's endpoint and the tests' in-process fake share it.
 */
public final class AlpacaSimulator {

  private static final Logger LOG = Logger.getLogger(AlpacaSimulator.class.getName());
  private static final int OUTBOX_FRAMES = 4096;

  private final SimulatorSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final SimulatedMarket market;
  private final SimulatedCrypto crypto;
  private final SimulatedIncidents incidents;
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();
  private final Map<String, Integer> peakConnections = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> loops = new ArrayList<>();
  private final SimulatorFaults faults = new SimulatorFaults();
  private volatile Set<String> alwaysTrading = Set.of();
  /** About 12 minutes of trades per symbol at the default 4 a second, two days of minute bars. */
  private final SimulatedHistory history = new SimulatedHistory(3000);
  private final java.util.concurrent.atomic.AtomicInteger connectionLimitRefusals =
      new java.util.concurrent.atomic.AtomicInteger();

  public AlpacaSimulator(
      SimulatorSettings settings, ScheduledExecutorService scheduler, Clock clock, long seed) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.market = new SimulatedMarket(seed);
    this.crypto = new SimulatedCrypto(seed);
    this.incidents = new SimulatedIncidents(seed);
  }

  /** Starts the price loop and the bar clock. */
  public synchronized void start() {
    long tickNanos = settings.tickInterval().toNanos();
    loops.add(scheduler.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS));
    long barMs = settings.barInterval().toMillis();
    loops.add(scheduler.scheduleAtFixedRate(this::closeBars, barMs, barMs, TimeUnit.MILLISECONDS));
  }

  /** Stops ticking and closes every session with 1001. */
  public synchronized void stop() {
    loops.forEach(loop -> loop.cancel(false));
    loops.clear();
    for (Peer peer : peers.values()) {
      peer.cancelDeadline();
      peer.outbox.abort(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "simulator stopping"));
    }
    peers.clear();
  }

  /** Fault injection: closes every session at once, as an upstream restart would. */
  public void disconnectAll(CloseReason reason) {
    for (Peer peer : peers.values()) {
      peer.cancelDeadline();
      peer.outbox.abort(reason);
    }
  }

  /**
   * Symbols whose market trades whether or not a session wants them, as a real market does: a
   * test can then drop the gateway and find in the history what it missed while away.
   */
  public void keepTrading(Set<String> symbols) {
    alwaysTrading = Set.copyOf(symbols);
  }

  public SimulatorFaults faults() {
    return faults;
  }

  /** What the market generated lately, delivered or not, for the REST history (backfill). */
  public SimulatedHistory history() {
    return history;
  }

  /** Fault injection: sends an Alpaca error to every authenticated session. */
  public void sendError(AlpacaError error) {
    for (Peer peer : peers.values()) {
      if (peer.key != null) {
        peer.send(peer.codec.error(error));
      }
    }
  }

  /**
   * Test injection: sends these events to the sessions subscribed to them, as the market would
   * (every type, a {@link io.tickrelay.marketdata.PassThrough} of a type Alpaca may add one day).
   */
  public void send(List<MarketEvent> events) {
    deliver(events);
  }

  /**
   * Test injection: one frame exactly as given (a malformed element, a type nobody models) to
   * every authenticated JSON session of a stock feed, whatever it subscribed.
   */
  public void sendRaw(String jsonFrame) {
    for (Peer peer : peers.values()) {
      if (peer.key != null && peer.assetClass == AssetClass.STOCKS
          && peer.codec.format() == WireFormat.JSON) {
        peer.send(jsonFrame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /** How many auth attempts were answered with 406 so far (to tell waiting from hammering). */
  public int connectionLimitRefusals() {
    return connectionLimitRefusals.get();
  }

  /** The most connections one key ever had authenticated at the same time on one feed. */
  public int peakConnections(String key) {
    return peakConnections.getOrDefault(key, 0);
  }

  /** The union of what the sessions authenticated with {@code key} are subscribed to. */
  public Interest subscriptionsOf(String key) {
    Interest union = Interest.none();
    for (Peer peer : peers.values()) {
      if (key.equals(peer.key)) {
        union = union.plus(peer.subscriptions);
      }
    }
    return union;
  }

  public int sessions() {
    return peers.size();
  }

  /** A session on the stock feed {@code /v2/{feed}}. */
  public void opened(Session session, String feed) {
    if (!settings.feeds().contains(feed)) {
      closeQuietly(session, new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown feed"));
      return;
    }
    open(session, feed, AssetClass.STOCKS);
  }

  /** A session on the crypto location {@code /v1beta3/crypto/{location}}. */
  public void openedCrypto(Session session, String location) {
    if (!SimulatorSettings.ALPACA_CRYPTO_LOCATIONS.contains(location)) {
      closeQuietly(session, new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown location"));
      return;
    }
    open(session, Streams.crypto(location), AssetClass.CRYPTO);
  }

  private void open(Session session, String feed, AssetClass assetClass) {
    Map<String, List<String>> headers = HandshakeCapture.headers(session.getUserProperties());
    WireFormat format = WireFormat.fromHeaders(headers);
    Peer peer = new Peer(session, feed, assetClass, format);
    peers.put(session.getId(), peer);
    peer.outbox.offer(peer.codec.success("connected"));
    Optional<String> key = HandshakeCapture.header(headers, "APCA-API-KEY-ID");
    Optional<String> secret = HandshakeCapture.header(headers, "APCA-API-SECRET-KEY");
    if (key.isPresent() && secret.isPresent()) {
      authenticate(peer, key.get(), secret.get());
    } else {
      peer.deadline =
          scheduler.schedule(
              () -> authTimedOut(peer), settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public void text(Session session, String text) {
    Peer peer = peers.get(session.getId());
    if (peer != null) {
      try {
        handle(peer, ((JsonCodec) WireFormat.JSON.codec()).decodeClient(text));
      } catch (ProtocolException e) {
        peer.send(peer.codec.error(e.error()));
      }
    }
  }

  public void binary(Session session, byte[] frame) {
    Peer peer = peers.get(session.getId());
    if (peer != null) {
      try {
        handle(peer, WireFormat.MSGPACK.codec().decodeClient(frame));
      } catch (ProtocolException e) {
        peer.send(peer.codec.error(e.error()));
      }
    }
  }

  public void closed(Session session) {
    Peer peer = peers.remove(session.getId());
    if (peer != null) {
      peer.cancelDeadline();
    }
  }

  private void handle(Peer peer, ClientMessage message) {
    if (message instanceof ClientMessage.Auth auth) {
      authenticate(peer, auth.key(), auth.secret());
    } else if (message instanceof ClientMessage.Subscription request) {
      if (peer.key == null) {
        peer.send(peer.codec.error(AlpacaError.NOT_AUTHENTICATED));
        return;
      }
      for (Channel channel : request.interest().channels()) {
        if (!offered(peer, channel)) {
          peer.send(peer.codec.error(AlpacaError.INVALID_SUBSCRIBE_ACTION));
          return;
        }
      }
      Interest next;
      synchronized (peer) {
        next = request.subscribe()
            ? peer.subscriptions.plus(request.interest())
            : peer.subscriptions.minus(request.interest());
        int limit = faults.symbolLimit();
        if (limit > 0 && next.symbolCount() > limit) {
          // atomic: "your symbol subscriptions are the same as they were before" (Alpaca docs)
          peer.send(peer.codec.error(AlpacaError.SYMBOL_LIMIT_EXCEEDED));
          return;
        }
        peer.subscriptions = next;
        // a book subscribed again starts over with a reset
        peer.booksSent.removeIf(symbol -> !next.matches(Channel.ORDERBOOKS, symbol));
      }
      peer.send(peer.codec.subscription(next, peer.assetClass));
    }
  }

  /**
   * The channels of the stream (upstream-protocols.md §1.4): crypto has no statuses, lulds or
   * imbalances, stocks no order books, the test feed only trades, quotes and bars.
   */
  private static boolean offered(Peer peer, Channel channel) {
    if (peer.assetClass == AssetClass.CRYPTO) {
      return Channel.CRYPTO.contains(channel);
    }
    if ("test".equals(peer.feed)) {
      return channel == Channel.TRADES || channel == Channel.QUOTES || channel == Channel.BARS;
    }
    return Channel.STOCK.contains(channel);
  }

  private void authenticate(Peer peer, String key, String secret) {
    if (peer.key != null) {
      peer.send(peer.codec.error(AlpacaError.ALREADY_AUTHENTICATED));
      return;
    }
    if (!settings.account().key().equals(key) || !settings.account().secretMatches(secret)) {
      peer.send(peer.codec.error(AlpacaError.AUTH_FAILED));
      return;
    }
    // crypto data comes with every Alpaca plan; the stock feeds are what a plan limits
    boolean entitled = peer.assetClass == AssetClass.CRYPTO || settings.account().allowsFeed(peer.feed);
    if (!entitled || faults.deniedFeeds().contains(peer.feed)) {
      peer.cancelDeadline();
      peer.fail(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
      return;
    }
    synchronized (this) {
      long holding = peers.values().stream().filter(p -> key.equals(p.key) && p.feed.equals(peer.feed)).count();
      if (holding >= settings.connectionsPerKey()) {
        // the socket stays open: the Go SDK retries auth on it (upstream-protocols.md §1.6, 406)
        connectionLimitRefusals.incrementAndGet();
        peer.send(peer.codec.error(AlpacaError.CONNECTION_LIMIT_EXCEEDED));
        return;
      }
      peer.key = key;
      peakConnections.merge(key, (int) holding + 1, Math::max);
    }
    peer.cancelDeadline();
    peer.send(peer.codec.success("authenticated"));
  }

  private void authTimedOut(Peer peer) {
    if (peer.key == null) {
      peer.fail(AlpacaError.AUTH_TIMEOUT);
    }
  }

  private void tick() {
    try {
      Map<String, Set<String>> wanted = demandedSymbols();
      Set<String> all = new LinkedHashSet<>();
      wanted.values().forEach(all::addAll);
      all.addAll(alwaysTrading);
      if (!all.isEmpty()) {
        Instant now = clock.instant();
        Set<String> trading = new LinkedHashSet<>(all);
        trading.removeIf(incidents::halted);
        List<MarketEvent> events = new ArrayList<>(market.tick(trading, now));
        events.addAll(incidents.after(all, events, now));
        events.addAll(crypto.tick(all, now));
        deliver(events);
      }
    } catch (RuntimeException e) { // the loop must survive one bad tick
      LOG.log(Level.WARNING, "simulator tick failed", e);
    }
  }

  private void closeBars() {
    try {
      Duration interval = settings.barInterval();
      Instant now = clock.instant();
      Instant start = Instant.ofEpochMilli(now.toEpochMilli() - interval.toMillis());
      List<MarketEvent> bars = new ArrayList<>(market.closeBars(start));
      bars.addAll(crypto.closeBars(start));
      deliver(bars);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "simulator bar close failed", e);
    }
  }

  /** Symbols per feed that some authenticated session wants on any channel. */
  private Map<String, Set<String>> demandedSymbols() {
    Map<String, Set<String>> byFeed = new HashMap<>();
    for (Peer peer : peers.values()) {
      if (peer.key == null) {
        continue;
      }
      Interest interest = peer.subscriptions;
      Set<String> served = served(peer);
      Set<String> symbols = byFeed.computeIfAbsent(peer.feed, f -> new LinkedHashSet<>());
      for (Channel channel : interest.channels()) {
        for (String symbol : interest.symbols(channel)) {
          if (symbol.equals(Interest.WILDCARD)) {
            symbols.addAll(served);
          } else if (served.contains(symbol)) {
            symbols.add(symbol);
          }
        }
      }
    }
    return byFeed;
  }

  private void deliver(List<MarketEvent> events) {
    history.record(events); // before the mute check: a muted market keeps trading
    if (events.isEmpty() || faults.muted()) {
      return;
    }
    // encode each event once per wire format, whatever the number of sessions
    byte[][][] encoded = new byte[WireFormat.values().length][events.size()][];
    for (Peer peer : peers.values()) {
      if (peer.key == null) {
        continue;
      }
      Interest interest = peer.subscriptions;
      Set<String> served = served(peer);
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        MarketEvent event = events.get(i);
        if (served.contains(event.symbol()) && interest.matches(event.channel(), event.symbol())) {
          if (event instanceof OrderBook delta && peer.booksSent.add(delta.symbol())) {
            // a book subscriber gets the whole book first (§1.5: "typically sent as the first
            // message after subscription"), deltas after it
            batch.add(peer.codec.event(crypto.book(delta.symbol(), delta.timestamp())));
            continue;
          }
          byte[][] cache = encoded[peer.codec.format().ordinal()];
          if (cache[i] == null) {
            cache[i] = peer.codec.event(event);
          }
          batch.add(cache[i]);
        }
      }
      if (!batch.isEmpty()) {
        peer.send(peer.codec.frame(batch));
      }
    }
  }

  private static Set<String> served(Peer peer) {
    return peer.assetClass == AssetClass.CRYPTO ? SimulatedCrypto.SYMBOLS : SimulatedMarket.symbolsOf(peer.feed);
  }

  private static void closeQuietly(Session session, CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException e) {
      LOG.fine(() -> "simulator: close failed: " + e.getMessage());
    }
  }

  /** One connected client of the simulator. */
  private static final class Peer {
    final String feed;
    final AssetClass assetClass;
    final WireCodec codec;
    final Outbox outbox;
    volatile String key;
    volatile Interest subscriptions = Interest.none();
    volatile ScheduledFuture<?> deadline;
    /** Symbols whose full book this session has had: added on delivery, dropped on unsubscribe. */
    final Set<String> booksSent = ConcurrentHashMap.newKeySet();

    Peer(Session session, String feed, AssetClass assetClass, WireFormat format) {
      this.feed = feed;
      this.assetClass = assetClass;
      this.codec = format.codec();
      this.outbox = new Outbox(session, format == WireFormat.MSGPACK, OUTBOX_FRAMES);
    }

    void send(byte[] frame) {
      if (!outbox.offer(frame)) {
        // Alpaca: "407 slow client" may not arrive before the disconnect (upstream-protocols.md §1.6)
        outbox.abort(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client"));
      }
    }

    void fail(AlpacaError error) {
      outbox.finish(
          codec.error(error), new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, error.message()));
    }

    void cancelDeadline() {
      ScheduledFuture<?> d = deadline;
      if (d != null) {
        d.cancel(false);
      }
    }
  }
}
