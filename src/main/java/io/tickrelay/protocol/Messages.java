package io.tickrelay.protocol;

import io.tickrelay.marketdata.Bar;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.PassThrough;
import io.tickrelay.marketdata.Published;
import io.tickrelay.marketdata.Quote;
import io.tickrelay.marketdata.Trade;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Alpaca message shapes, written once for every wire format: field names and order
 * ({@code T} first, as the Go SDK's msgpack decoder requires) and how decoded trees are read.
 */
final class Messages {

  /** Upper-case tickers, share classes ({@code BRK.B}), crypto pairs ({@code BTC/USD}). */
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9./-]{0,31}");

  /** Channels that follow {@code trades} automatically (upstream-protocols.md §1.4). */
  private static final Set<String> AUTOMATIC = Set.of("corrections", "cancelErrors");

  private Messages() {}

  static void writeEvent(MessageWriter w, MarketEvent event) {
    writeEvent(w, event, -1);
  }

  /**
   * A data message; with {@code seq >= 0} it also carries the gateway's stream sequence number as
   * {@code x-seq}, last so that {@code T} stays first (docs/PROTOCOL.md, extensions).
   */
  static void writeEvent(MessageWriter w, MarketEvent event, long seq) {
    if (CryptoMessages.writeEvent(w, event, seq) || StockMessages.writeEvent(w, event, seq)) {
      return;
    }
    int extra = seq >= 0 ? 1 : 0;
    // Java 17: no pattern matching in switch yet, hence the instanceof chain
    if (event instanceof Trade t) {
        w.mapHeader(9 + extra);
        w.field("T", "t");
        w.field("S", t.symbol());
        w.integerField("i", t.id());
        w.field("x", t.exchange());
        w.field("p", t.price());
        w.integerField("s", t.size());
        w.strings("c", t.conditions(), t.conditions().size());
        w.field("z", t.tape());
        w.timeField("t", t.timestamp());
        writeSeq(w, seq);
        w.endMap();
    } else if (event instanceof Quote q) {
        w.mapHeader(11 + extra);
        w.field("T", "q");
        w.field("S", q.symbol());
        w.field("bx", q.bidExchange());
        w.field("bp", q.bidPrice());
        w.integerField("bs", q.bidSize());
        w.field("ax", q.askExchange());
        w.field("ap", q.askPrice());
        w.integerField("as", q.askSize());
        w.strings("c", q.conditions(), q.conditions().size());
        w.field("z", q.tape());
        w.timeField("t", q.timestamp());
        writeSeq(w, seq);
        w.endMap();
    } else if (event instanceof Bar b) {
        w.mapHeader(10 + extra);
        w.field("T", barType(b.kind()));
        w.field("S", b.symbol());
        w.field("o", b.open());
        w.field("h", b.high());
        w.field("l", b.low());
        w.field("c", b.close());
        w.integerField("v", b.volume());
        w.integerField("n", b.tradeCount());
        w.field("vw", b.vwap());
        w.timeField("t", b.timestamp());
        writeSeq(w, seq);
        w.endMap();
    } else if (event instanceof Published p) {
        PublishedMessages.write(w, p, seq);
    } else if (event instanceof PassThrough p) {
        PassThroughMessages.write(w, p, seq);
    }
  }

  static void writeSeq(MessageWriter w, long seq) {
    if (seq >= 0) {
      w.integerField("x-seq", seq);
    }
  }

  static String barType(Bar.Kind kind) {
    return switch (kind) {
      case MINUTE -> "b";
      case DAILY -> "d";
      case UPDATED -> "u";
    };
  }

  static void writeSuccess(MessageWriter w, String msg) {
    w.arrayHeader(1);
    w.mapHeader(2);
    w.field("T", "success");
    w.field("msg", msg);
    w.endMap();
    w.endArray();
  }

  static void writeError(MessageWriter w, AlpacaError error) {
    w.arrayHeader(1);
    w.mapHeader(3);
    w.field("T", "error");
    w.integerField("code", error.code());
    w.field("msg", error.message());
    w.endMap();
    w.endArray();
  }

  /** The acknowledgement of the stream family: crypto keys, or the stock ones. */
  static void writeSubscription(MessageWriter w, Interest interest, AssetClass assetClass) {
    if (assetClass == AssetClass.CRYPTO) {
      CryptoMessages.writeSubscription(w, interest);
    } else {
      writeSubscription(w, interest);
    }
  }

  /** Stock acknowledgement keys in Alpaca's order; imbalances only when used (§1.4). */
  static void writeSubscription(MessageWriter w, Interest interest) {
    boolean imbalances = !interest.symbols(Channel.IMBALANCES).isEmpty();
    w.arrayHeader(1);
    w.mapHeader(imbalances ? 11 : 10);
    w.field("T", "subscription");
    for (Channel channel : Channel.STOCK) {
      if (channel != Channel.IMBALANCES || imbalances) {
        writeSymbols(w, channel.wireName(), interest.symbols(channel));
      }
    }
    writeSymbols(w, "corrections", interest.symbols(Channel.TRADES));
    writeSymbols(w, "cancelErrors", interest.symbols(Channel.TRADES));
    w.endMap();
    w.endArray();
  }

  /**
   * The order acknowledgement keys appear in: Alpaca's stock order, with {@code orderbooks} after
   * {@code quotes} as in Alpaca's crypto example (upstream-protocols.md §1.4).
   */
  private static final List<Channel> ACK_ORDER = ackOrder();

  private static List<Channel> ackOrder() {
    List<Channel> order = new ArrayList<>(List.of(Channel.values()));
    order.remove(Channel.ORDERBOOKS);
    order.add(order.indexOf(Channel.QUOTES) + 1, Channel.ORDERBOOKS);
    return List.copyOf(order);
  }

  /** An acknowledgement with exactly {@code keys}, in Alpaca's order, and no trade companions. */
  static void writeSubscription(MessageWriter w, Interest interest, Set<Channel> keys) {
    w.arrayHeader(1);
    w.mapHeader(1 + keys.size());
    w.field("T", "subscription");
    for (Channel channel : ACK_ORDER) {
      if (keys.contains(channel)) {
        writeSymbols(w, channel.wireName(), interest.symbols(channel));
      }
    }
    w.endMap();
    w.endArray();
  }

  static void writeAuth(MessageWriter w, String key, String secret) {
    w.mapHeader(3);
    w.field("action", "auth");
    w.field("key", key);
    w.field("secret", secret);
    w.endMap();
  }

  static void writeSubscriptionRequest(MessageWriter w, boolean subscribe, Interest interest) {
    w.mapHeader(1 + interest.channels().size());
    w.field("action", subscribe ? "subscribe" : "unsubscribe");
    for (Channel channel : interest.channels()) {
      writeSymbols(w, channel.wireName(), interest.symbols(channel));
    }
    w.endMap();
  }

  private static void writeSymbols(MessageWriter w, String key, Set<String> symbols) {
    w.strings(key, symbols, symbols.size());
  }

  static ClientMessage readClient(Object tree) throws ProtocolException {
    if (!(tree instanceof Map<?, ?> map)) {
      throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "not an object");
    }
    Object action = map.get("action");
    if ("auth".equals(action)) {
      if (!(map.get("key") instanceof String key) || !(map.get("secret") instanceof String secret)) {
        throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "auth needs string key and secret");
      }
      return new ClientMessage.Auth(key, secret);
    }
    if ("subscribe".equals(action) || "unsubscribe".equals(action)) {
      return new ClientMessage.Subscription("subscribe".equals(action), readInterest(map));
    }
    throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "unknown action");
  }

  /** A message to the gateway: Alpaca's actions plus the opt-in extensions of docs/PROTOCOL.md. */
  static ClientMessage readGatewayClient(Object tree) throws ProtocolException {
    if (tree instanceof Map<?, ?> map && map.get("action") instanceof String action) {
      if (action.equals("x-options")) {
        return readOptions(map);
      }
      if (action.equals("x-resume")) {
        if (!(map.get("epoch") instanceof String epoch)
            || !(map.get("seq") instanceof Long seq)
            || seq < 0) {
          throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "x-resume needs epoch and seq");
        }
        return new ClientMessage.Resume(epoch, seq);
      }
    }
    return readClient(tree);
  }

  private static ClientMessage.Options readOptions(Map<?, ?> map) throws ProtocolException {
    boolean lastValue = false;
    boolean sequence = false;
    boolean feedNotices = false;
    long maxPerSecond = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      Object key = entry.getKey();
      Object value = entry.getValue();
      if ("action".equals(key)) {
        continue;
      }
      if ("maxPerSecond".equals(key) && value instanceof Long n && n >= 0 && n <= 1_000_000) {
        maxPerSecond = n;
      } else if (value instanceof Boolean on && "lastValue".equals(key)) {
        lastValue = on;
      } else if (value instanceof Boolean on && "sequence".equals(key)) {
        sequence = on;
      } else if (value instanceof Boolean on && "feedNotices".equals(key)) {
        feedNotices = on;
      } else {
        throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "x-options: bad option " + key);
      }
    }
    return new ClientMessage.Options(lastValue, sequence, (int) maxPerSecond, feedNotices);
  }

  private static Interest readInterest(Map<?, ?> map) throws ProtocolException {
    Map<Channel, List<String>> symbols = new EnumMap<>(Channel.class);
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if ("action".equals(entry.getKey()) || entry.getValue() == null) {
        // the Go SDK sends every channel key, an unused one as msgpack nil rather than []
        // (alpaca-trade-api-go marketdata/stream/subscription.go getSubChangeMessage: a nil []string)
        continue;
      }
      if (!(entry.getValue() instanceof List<?> list)) {
        throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "channel value is not a list");
      }
      List<String> checked = new ArrayList<>(list.size());
      // published channels are named by their producers in lower case, not tickers
      Pattern names = Channel.PUBLISHED.wireName().equals(entry.getKey()) ? Published.CHANNEL_NAME : SYMBOL;
      for (Object symbol : list) {
        if (!(symbol instanceof String s) || !(s.equals(Interest.WILDCARD) || names.matcher(s).matches())) {
          throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "invalid symbol");
        }
        checked.add(s);
      }
      String name = String.valueOf(entry.getKey());
      Channel channel = Channel.fromWireName(name).orElse(null);
      if (channel != null) {
        symbols.put(channel, checked);
      } else if (!checked.isEmpty() && !AUTOMATIC.contains(name)) {
        // the Go SDK sends every channel key, empty, on every stream; only a non-empty one is wrong
        throw new ProtocolException(AlpacaError.INVALID_SUBSCRIBE_ACTION, "channel " + name);
      }
    }
    return Interest.of(symbols);
  }

  /** The elements of a server frame, data records read as {@code assetClass} defines them. */
  static List<ServerMessage> readServer(Object tree, AssetClass assetClass)
      throws ProtocolException {
    if (!(tree instanceof List<?> list)) {
      throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "frame is not an array");
    }
    List<ServerMessage> messages = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!(element instanceof Map<?, ?> map) || !(map.get("T") instanceof String type)) {
        throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "element without T");
      }
      messages.add(readServerMessage(type, map, assetClass));
    }
    return messages;
  }

  private static ServerMessage readServerMessage(String type, Map<?, ?> m, AssetClass assetClass) {
    try {
      switch (type) {
        case "success":
          return new ServerMessage.Success(str(m, "msg"));
        case "error":
          return new ServerMessage.Failure((int) lng(m, "code"), str(m, "msg"));
        case "subscription":
          return new ServerMessage.SubscriptionState(readAck(m));
        default:
          break;
      }
      MarketEvent event =
          assetClass == AssetClass.CRYPTO ? CryptoMessages.readEvent(type, m) : readStockEvent(type, m);
      if (event != null) {
        return new ServerMessage.Data(event);
      }
      // a type the gateway does not model is relayed as it came, so a new Alpaca type keeps
      // working; within a depth no real message comes near, so that no client pays for a hostile one
      if (PassThroughMessages.deeperThan(m, PassThroughMessages.MAX_DEPTH)) {
        return new ServerMessage.TooDeep(type);
      }
      return new ServerMessage.Data(PassThroughMessages.read(type, m));
    } catch (RuntimeException malformed) {
      // one malformed element must not cost the rest of the frame
      return new ServerMessage.Malformed(type);
    }
  }

  private static MarketEvent readStockEvent(String type, Map<?, ?> m) {
    return switch (type) {
      case "t" -> new Trade(str(m, "S"), lng(m, "i"), str(m, "x"), dbl(m, "p"), lng(m, "s"),
          TreeValues.instant(m.get("t")), strs(m, "c"), str(m, "z"));
      case "q" -> new Quote(str(m, "S"), str(m, "bx"), dbl(m, "bp"), lng(m, "bs"), str(m, "ax"),
          dbl(m, "ap"), lng(m, "as"), TreeValues.instant(m.get("t")), strs(m, "c"), str(m, "z"));
      case "b", "d", "u" -> new Bar(barKind(type), str(m, "S"), dbl(m, "o"), dbl(m, "h"),
          dbl(m, "l"), dbl(m, "c"), lng(m, "v"), lng(m, "n"), dbl(m, "vw"),
          TreeValues.instant(m.get("t")));
      default -> StockMessages.readEvent(type, m);
    };
  }

  static Bar.Kind barKind(String type) {
    return switch (type) {
      case "d" -> Bar.Kind.DAILY;
      case "u" -> Bar.Kind.UPDATED;
      default -> Bar.Kind.MINUTE;
    };
  }

  private static Interest readAck(Map<?, ?> m) {
    Map<Channel, List<String>> symbols = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      if (m.get(channel.wireName()) instanceof List<?>) {
        symbols.put(channel, strs(m, channel.wireName()));
      }
    }
    return Interest.of(symbols);
  }

  static String str(Map<?, ?> m, String key) {
    Object value = m.get(key);
    return value == null ? "" : (String) value;
  }

  static double dbl(Map<?, ?> m, String key) {
    Object value = m.get(key);
    return value == null ? 0 : ((Number) value).doubleValue();
  }

  static long lng(Map<?, ?> m, String key) {
    Object value = m.get(key);
    return value == null ? 0 : ((Number) value).longValue();
  }

  static List<String> strs(Map<?, ?> m, String key) {
    Object value = m.get(key);
    if (value == null) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (Object o : (List<?>) value) {
      result.add((String) o);
    }
    return result;
  }
}
