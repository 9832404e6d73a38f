package io.tickrelay.alpaca;

import io.tickrelay.admission.Printable;
import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.protocol.AssetClass;
import io.tickrelay.protocol.JsonCodec;
import io.tickrelay.protocol.ProtocolException;
import io.tickrelay.protocol.ServerMessage;
import io.tickrelay.protocol.WireFormat;
import io.tickrelay.upstream.ErrorStrategies;
import io.tickrelay.upstream.Frame;
import io.tickrelay.upstream.Inbound;
import io.tickrelay.upstream.SubscriptionRequest;
import io.tickrelay.upstream.UnreadableFrame;
import io.tickrelay.upstream.UpstreamProtocol;
import io.tickrelay.upstream.UpstreamSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Alpaca's market-data stream (upstream-protocols.md §1.3): JSON text frames, a {@code connected}
 * greeting answered with an auth message, {@code authenticated}, then one subscribe or unsubscribe
 * per channel, each answered in order with the full subscription state. Stocks and crypto hold the
 * same conversation; they differ in path and in what the data records are ({@link AssetClass}).
 */
public final class AlpacaProtocol implements UpstreamProtocol {

  private static final Logger LOG = Logger.getLogger(AlpacaProtocol.class.getName());
  private static final JsonCodec JSON = (JsonCodec) WireFormat.JSON.codec();
  static final String CONNECTED = "connected";
  static final String AUTHENTICATED = "authenticated";
  private static final int MAX_LOGGED_TYPES = 32;

  private final String stream;
  private final UnaryOperator<String> path;
  private final AssetClass assetClass;
  private final AtomicLong tooDeep = new AtomicLong();
  private final Set<String> loggedTooDeep = ConcurrentHashMap.newKeySet();

  private AlpacaProtocol(String stream, UnaryOperator<String> path, AssetClass assetClass) {
    this.stream = stream;
    this.path = path;
    this.assetClass = assetClass;
  }

  /** Stocks: {@code {base}/v2/{feed}} (Alpaca docs, streaming-market-data). */
  public static AlpacaProtocol stocks() {
    return new AlpacaProtocol(Streams.STOCKS, feed -> "/v2/" + feed, AssetClass.STOCKS);
  }

  /**
   * Crypto at a location: {@code {base}/v1beta3/crypto/{loc}}; its only "feed" is the location (no
   * fallback: every plan has crypto data), its records are crypto records ({@code T:"t"} with
   * fractional size and taker side, {@code T:"o"} order books).
   */
  public static AlpacaProtocol crypto(String location) {
    return new AlpacaProtocol(
        Streams.crypto(location), feed -> "/v1beta3/crypto/" + location, AssetClass.CRYPTO);
  }

  @Override
  public String provider() {
    return "alpaca";
  }

  @Override
  public String stream() {
    return stream;
  }

  @Override
  public Target target(URI baseUrl, String feed, Interest demand) {
    return Target.of(URI.create(baseUrl + path.apply(feed)));
  }

  @Override
  public Conversation conversation(UpstreamSettings.Credentials credentials) {
    return new Conversation() {
      @Override
      public Step opened() {
        return Step.waiting(); // the server speaks first: connected
      }

      @Override
      public Step progressed(Inbound.AuthProgress progress) {
        return switch (progress.step()) {
          case CONNECTED -> Step.reply(Frame.text(JSON.auth(credentials.keyId(), credentials.secret())));
          case AUTHENTICATED -> Step.goLive();
          default -> Step.waiting();
        };
      }
    };
  }

  @Override
  public List<Inbound> decode(String frame) throws UnreadableFrame {
    List<ServerMessage> messages;
    try {
      messages = JSON.decodeServer(frame, assetClass);
    } catch (ProtocolException e) {
      throw new UnreadableFrame(e.getMessage(), e);
    }
    List<Inbound> items = new ArrayList<>(messages.size());
    for (ServerMessage message : messages) {
      if (message instanceof ServerMessage.Data data) {
        items.add(new Inbound.Data(data.event(), null, identity(data.event())));
      } else if (message instanceof ServerMessage.Success success) {
        items.add(new Inbound.AuthProgress(success.msg()));
      } else if (message instanceof ServerMessage.Failure failure) {
        items.add(new Inbound.ProviderError(failure.code(), failure.msg()));
      } else if (message instanceof ServerMessage.SubscriptionState ack) {
        items.add(new Inbound.Ack(null, ack.interest()));
      } else if (message instanceof ServerMessage.Malformed malformed) {
        LOG.fine(() -> stream + ": malformed upstream element of type " + malformed.type() + " dropped");
      } else if (message instanceof ServerMessage.TooDeep tooDeep) {
        refusedTooDeep(tooDeep.type(), frame);
      }
    }
    return items;
  }

  /** Upstream messages refused for nesting past {@link ServerMessage#MAX_PASS_THROUGH_DEPTH}. */
  public long refusedTooDeep() {
    return tooDeep.get();
  }

  /** Counted always, logged once per type (up to {@value #MAX_LOGGED_TYPES} types) with an excerpt. */
  private void refusedTooDeep(String type, String frame) {
    long count = tooDeep.incrementAndGet();
    if (loggedTooDeep.size() < MAX_LOGGED_TYPES && loggedTooDeep.add(type)) {
      int at = frame.indexOf("\"T\":\"" + type + "\"");
      String excerpt = Printable.of(frame.substring(Math.max(0, at - 1)));
      LOG.warning(() -> stream + ": upstream message of type " + Printable.of(type)
          + " nested deeper than " + ServerMessage.MAX_PASS_THROUGH_DEPTH
          + " levels refused, not relayed (" + count + " so far; logged once per type): " + excerpt);
    }
  }

  /**
   * A trade's symbol and id, the same for one trade on two sessions (a feed re-probe overlapping
   * the fallen-back session), so the overlap is delivered once; other events have none.
   */
  private static Object identity(io.tickrelay.marketdata.MarketEvent event) {
    if (event instanceof io.tickrelay.marketdata.Trade trade) {
      return trade.symbol() + "/" + trade.id();
    }
    return null;
  }

  /** One request per channel, so that a 405 or 410 reply can be traced to its channel. */
  @Override
  public List<SubscriptionRequest> requests(Interest added, Interest removed) {
    List<SubscriptionRequest> requests = new ArrayList<>();
    perChannel(added, true, requests);
    perChannel(removed, false, requests);
    return requests;
  }

  private static void perChannel(Interest interest, boolean subscribe, List<SubscriptionRequest> out) {
    for (Channel channel : interest.channels()) {
      Interest one = Interest.of(Map.of(channel, interest.symbols(channel)));
      out.add(new SubscriptionRequest(
          Frame.text(JSON.subscriptionRequest(subscribe, one)), null, subscribe ? one : Interest.none()));
    }
  }

  @Override
  public ErrorStrategies.ErrorStrategy classify(int code) {
    return AlpacaErrors.forCode(code);
  }

  /** Alpaca's own code for it: 404 auth timeout (upstream-protocols.md §1.6). */
  @Override
  public ErrorStrategies.ErrorStrategy authTimeout() {
    return AlpacaErrors.forCode(404);
  }
}
