package io.tickrelay.binance;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.upstream.ErrorStrategies;
import io.tickrelay.upstream.Frame;
import io.tickrelay.upstream.Inbound;
import io.tickrelay.upstream.SubscriptionRequest;
import io.tickrelay.upstream.UnreadableFrame;
import io.tickrelay.upstream.UpstreamProtocol;
import io.tickrelay.upstream.UpstreamSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Binance spot market streams (upstream-protocols.md §2) for the gateway's {@code crypto/binance}
 * stream: combined streams at {@code {base}/stream}, the demand carried in the URL on (re)connect
 * so a restore costs no control message, deltas as SUBSCRIBE/UNSUBSCRIBE with ids answered by
 * {@code {"result":null,"id":..}}, control messages evenly paced below Binance's 5 per second
 * (pings and pongs count too, so two slots are left for them by default), 1024 streams per
 * connection, server pings answered by the transport and the gateway's own pings for stall
 * detection, and a rotation before Binance's 24 h cut-off with per-event identities for the
 * overlap.
 */
public final class BinanceProtocol implements UpstreamProtocol {

  private static final Logger LOG = Logger.getLogger(BinanceProtocol.class.getName());

  /** The single "feed" of Binance spot. */
  public static final String FEED = "spot";

  /** Binance's documented cap (§2.3). */
  public static final int MAX_STREAMS = 1024;

  /** Pseudo error code for a {@code serverShutdown} event: reconnect as soon as possible. */
  static final int SERVER_SHUTDOWN = -2000;

  /** Streams per SUBSCRIBE and carried in the URL, to keep frames and URLs of modest size. */
  private static final int STREAMS_PER_MESSAGE = 200;

  private final BinanceSymbols symbols;
  private final BinanceFrames frames;
  private final Duration pace;
  private final int maxStreams;
  private final int maxConnections;
  private final Duration maxSessionAge;
  private final Clock clock;
  private final AtomicLong ids = new AtomicLong();

  public BinanceProtocol(
      BinanceSymbols symbols, int controlPerSecond, int maxStreams, Duration maxSessionAge, Clock clock) {
    this(symbols, controlPerSecond, maxStreams, Integer.MAX_VALUE, maxSessionAge, clock);
  }

  /** @param maxConnections most connections the demand may spread over (a subscribe beyond: 405) */
  public BinanceProtocol(BinanceSymbols symbols, int controlPerSecond, int maxStreams, int maxConnections,
      Duration maxSessionAge, Clock clock) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("at least one Binance connection: " + maxConnections);
    }
    this.maxConnections = maxConnections;
    if (controlPerSecond < 1 || controlPerSecond > 5) {
      throw new IllegalArgumentException("Binance allows 1 to 5 control messages per second: " + controlPerSecond);
    }
    if (maxStreams < 1 || maxStreams > MAX_STREAMS) {
      throw new IllegalArgumentException("Binance allows 1 to 1024 streams per connection: " + maxStreams);
    }
    this.symbols = symbols;
    this.frames = new BinanceFrames(symbols);
    this.pace = Duration.ofNanos(1_000_000_000L / controlPerSecond);
    this.maxStreams = maxStreams;
    this.maxSessionAge = maxSessionAge;
    this.clock = clock;
  }

  @Override
  public String provider() {
    return "binance";
  }

  @Override
  public String stream() {
    return Streams.crypto("binance");
  }

  /**
   * {@code {base}/stream?streams=a/b/c} with up to {@value #STREAMS_PER_MESSAGE} of the demand (the
   * rest is subscribed by message once live): a reconnect or rotation then restores most
   * subscriptions without spending control messages (the XChange approach, §5 Binance 2).
   */
  @Override
  public Target target(URI baseUrl, String feed, Interest demand) {
    Map<String, Pair> streams = streams(demand);
    List<String> names = new ArrayList<>(streams.keySet()).subList(0, Math.min(streams.size(), STREAMS_PER_MESSAGE));
    String base = baseUrl + "/stream";
    if (names.isEmpty()) {
      return Target.of(URI.create(base));
    }
    Map<Channel, SortedSet<String>> carried = new LinkedHashMap<>();
    for (String name : names) {
      Pair pair = streams.get(name);
      carried.computeIfAbsent(pair.channel(), c -> new TreeSet<>()).add(pair.symbol());
    }
    // '@' and '/' are legal in a query (RFC 3986 §3.4); encode anything else a name could hold
    String query = URLEncoder.encode(String.join("/", names), StandardCharsets.UTF_8)
        .replace("%40", "@").replace("%2F", "/");
    return new Target(URI.create(base + "?streams=" + query), Interest.of(carried));
  }

  /** Binance market streams need no login: live as soon as the socket is open. */
  @Override
  public Conversation conversation(UpstreamSettings.Credentials credentials) {
    return new Conversation() {
      @Override
      public Step opened() {
        return Step.goLive();
      }

      @Override
      public Step progressed(Inbound.AuthProgress progress) {
        return Step.waiting();
      }
    };
  }

  @Override
  public List<Inbound> decode(String text) throws UnreadableFrame {
    BinanceFrame frame = frames.decode(text, clock.instant());
    if (frame instanceof BinanceFrame.Data data) {
      List<Inbound> items = new ArrayList<>(data.events().size());
      for (BinanceFrame.Normalized n : data.events()) {
        items.add(new Inbound.Data(n.event(), null, new Identity(n.key(), n.sequence())));
      }
      return items;
    }
    if (frame instanceof BinanceFrame.Reply reply) {
      return List.of(new Inbound.Ack(id(reply.id()), null));
    }
    if (frame instanceof BinanceFrame.Failure failure) {
      return List.of(new Inbound.ProviderError(failure.code(), failure.message(), id(failure.id())));
    }
    if (frame instanceof BinanceFrame.ServerShutdown) {
      return List.of(new Inbound.ProviderError(SERVER_SHUTDOWN, "serverShutdown: the server is going away"));
    }
    BinanceFrame.Ignored ignored = (BinanceFrame.Ignored) frame;
    if (ignored.why().startsWith("malformed")) {
      throw new UnreadableFrame(ignored.why());
    }
    LOG.finest(() -> "binance: skipped a frame: " + ignored.why());
    return List.of();
  }

  /** The id as the request carried it: our ids are numbers; anything else stays its JSON text. */
  private static Object id(String raw) {
    try {
      return Long.valueOf(raw);
    } catch (NumberFormatException e) {
      return "null".equals(raw) ? null : raw;
    }
  }

  /**
   * SUBSCRIBE for what was added, UNSUBSCRIBE for what was removed, each with a fresh id and at most
   * {@value #STREAMS_PER_MESSAGE} streams. Pairs Binance cannot serve (the wildcard, an unknown
   * quote asset, channels it does not offer) are left out: a well-formed stream of a symbol Binance
   * does not list is accepted and stays silent (§2.2), which is also what a client then sees.
   */
  @Override
  public List<SubscriptionRequest> requests(Interest added, Interest removed) {
    List<SubscriptionRequest> requests = new ArrayList<>();
    chunks("SUBSCRIBE", streams(added), true, requests);
    chunks("UNSUBSCRIBE", streams(removed), false, requests);
    return requests;
  }

  private void chunks(String method, Map<String, Pair> streams, boolean subscribe, List<SubscriptionRequest> out) {
    List<String> names = new ArrayList<>(streams.keySet());
    for (int from = 0; from < names.size(); from += STREAMS_PER_MESSAGE) {
      List<String> chunk = names.subList(from, Math.min(names.size(), from + STREAMS_PER_MESSAGE));
      long id = ids.incrementAndGet();
      StringBuilder json = new StringBuilder("{\"method\":\"").append(method).append("\",\"params\":[");
      Map<Channel, SortedSet<String>> subject = new LinkedHashMap<>();
      for (int i = 0; i < chunk.size(); i++) {
        json.append(i == 0 ? "" : ",").append('"').append(chunk.get(i)).append('"');
        Pair pair = streams.get(chunk.get(i));
        subject.computeIfAbsent(pair.channel(), c -> new TreeSet<>()).add(pair.symbol());
      }
      json.append("],\"id\":").append(id).append('}');
      out.add(new SubscriptionRequest(Frame.text(json.toString()), id,
          subscribe ? Interest.of(subject) : Interest.none()));
    }
  }

  /** Stream names for the pairs Binance can serve, in channel then symbol order. */
  private Map<String, Pair> streams(Interest interest) {
    Map<String, Pair> streams = new LinkedHashMap<>();
    for (Channel channel : interest.channels()) {
      for (String symbol : interest.symbols(channel)) {
        symbols.streamName(channel, symbol).ifPresentOrElse(
            name -> streams.put(name, new Pair(channel, symbol)),
            () -> LOG.fine(() -> "binance: no stream for " + channel.wireName() + " " + symbol));
      }
    }
    return streams;
  }

  @Override
  public ErrorStrategies.ErrorStrategy classify(int code) {
    return BinanceErrors.forCode(code);
  }

  /** 429 (too many connection attempts) and 418 (IP banned after ignoring 429s) throttle (§2.3). */
  @Override
  public ErrorStrategies.ErrorStrategy handshakeRefused(int status) {
    return status == 418 || status == 429
        ? BinanceErrors.forCode(status)
        : ErrorStrategies.forHandshakeStatus(status);
  }

  @Override
  public Duration controlPace() {
    return pace;
  }

  @Override
  public int maxSubscriptions() {
    return maxStreams;
  }

  @Override
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * The gateway pings too (the transport answers Binance's own pings whatever the mode): many
   * Binance pairs trade seldom, so silence says nothing about a connection's health, while an
   * unanswered ping does. A ping counts against Binance's 5 messages per second, like the pong to
   * the server's ping; hence 3 control messages per second by default.
   */
  @Override
  public KeepaliveMode keepalive() {
    return KeepaliveMode.CLIENT_PINGS;
  }

  @Override
  public Duration maxSessionAge() {
    return maxSessionAge;
  }

  /**
   * Klines flow steadily too: Binance pushes the open candle every 2 s whether or not it traded
   * (Binance Spot docs, WebSocket Streams, "Kline/Candlestick Streams": update speed 2000 ms).
   */
  @Override
  public java.util.Set<Channel> steadyChannels() {
    return java.util.EnumSet.of(Channel.TRADES, Channel.QUOTES, Channel.BARS);
  }

  /** One (channel, gateway symbol) pair behind a stream name. */
  private record Pair(Channel channel, String symbol) {}

  /**
   * An event's identity across two sessions of a rotation: its kind and symbol ({@code t:BTC/USDT})
   * and its per-symbol sequence (trade id, bookTicker {@code u}, kline open time).
   */
  public record Identity(String key, long sequence) {}
}
