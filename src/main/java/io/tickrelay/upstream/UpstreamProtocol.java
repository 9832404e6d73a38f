package io.tickrelay.upstream;

import io.tickrelay.marketdata.Interest;
import jakarta.websocket.ClientEndpointConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * A provider's wire protocol, plugged into the shared lifecycle of {@link UpstreamConnection}
 * (generations, state machine, backoff, auth deadline, stall detection, feed fallback,
 * subscription restore, ack matching, escalation), which never looks at a provider's frames itself.
 *
 * <p>An adapter author implements, in the provider's own package:
 *
 * <ol>
 *   <li>{@link #provider()} and {@link #stream()}: names for status, logs and events.
 *   <li>{@link #target}: the URL for a feed; for URL-carried streams (Binance {@code
 *       /stream?streams=...}) also the part of the demand the URL already subscribes.
 *   <li>{@link #handshake}: extra handshake headers (a configurator), or {@code null}.
 *   <li>{@link #conversation}: the post-open steps up to "live" (Alpaca: await connected, send
 *       auth, await authenticated; Binance: live at once; trading: send authenticate, await
 *       authorization, send listen).
 *   <li>{@link #decode(String)} (and {@link #decode(ByteBuffer)} for binary frames): one frame
 *       into {@link Inbound} items: data, auth progress, acks, provider errors. Never throws
 *       anything but {@link UnreadableFrame}; the lifecycle logs and skips such a frame.
 *   <li>{@link #requests}: a subscription delta into {@link SubscriptionRequest}s, each with the
 *       id its ack will carry (or {@code null} when the provider answers in order).
 *   <li>{@link #classify}: a provider error code into a row of the error table ({@link
 *       ErrorStrategies#row} builds one; {@link FailureReaction} says what the lifecycle does).
 *   <li>Limits and timing, all with defaults: {@link #controlPace()}, {@link #maxSubscriptions()},
 *       {@link #keepalive()}, {@link #maxSessionAge()}.
 *   <li>For rotation without duplicates: an identity on each {@link Inbound.Data} (Binance trade
 *       id) when the provider has one.
 * </ol>
 *
 * Credentials are not the adapter's business: the lifecycle reads them afresh from {@link
 * UpstreamSettings#credentials()} before every connect and hands them to {@link #handshake} and
 * {@link #conversation}. Implementations are stateless and thread-safe; per-session state lives
 * in the {@link Conversation}. To put the adapter to work, add an {@link UpstreamProvider} bean
 * in the same package returning one {@link UpstreamDefinition} per stream; the stream's {@link
 * ConnectionGroup} then splits demand by {@link #maxSubscriptions()} and rotates sessions at
 * {@link #maxSessionAge()}. {@code NeutralLifecycleTest.TinyProtocol} is a complete example.
 */
public interface UpstreamProtocol {

  /** The provider's name in status, logs and metrics, e.g. {@code alpaca}, {@code binance}. */
  String provider();

  /** The gateway stream ({@link io.tickrelay.marketdata.Streams}) this protocol's data belongs to. */
  String stream();

  /**
   * Where to connect for {@code feed} (one of {@link UpstreamSettings#feeds()}), given the demand
   * this connection is about to hold. Return {@link Target#of(URI)} unless the URL subscribes.
   */
  Target target(URI baseUrl, String feed, Interest demand);

  /** Adds handshake headers (auth, content type); {@code null} for none. */
  default ClientEndpointConfig.Configurator handshake(UpstreamSettings.Credentials credentials) {
    return null;
  }

  /** A fresh conversation for one session, with the credentials read for this attempt. */
  Conversation conversation(UpstreamSettings.Credentials credentials);

  /** Decodes one text frame. */
  List<Inbound> decode(String frame) throws UnreadableFrame;

  /** Decodes one binary frame; by default the protocol has none. */
  default List<Inbound> decode(ByteBuffer frame) throws UnreadableFrame {
    throw new UnreadableFrame("binary frames are not part of this protocol");
  }

  /**
   * The frames that move the provider's subscriptions by a delta ({@code added} and {@code removed}
   * never overlap). Also used to restore the whole demand after a reconnect ({@code added} = demand
   * minus what the URL carried). Channels the provider refused on this feed are already left out.
   */
  List<SubscriptionRequest> requests(Interest added, Interest removed);

  /** What a provider error code means and what to do; unknown codes get {@link ErrorStrategies#unknown}. */
  ErrorStrategies.ErrorStrategy classify(int code);

  /** The row for an HTTP status that refused the WebSocket handshake (Binance: 418 and 429). */
  default ErrorStrategies.ErrorStrategy handshakeRefused(int status) {
    return ErrorStrategies.forHandshakeStatus(status);
  }

  /** The row for a conversation that did not reach "live" within the auth timeout. */
  default ErrorStrategies.ErrorStrategy authTimeout() {
    return ErrorStrategies.authTimeout();
  }

  /** Minimum spacing between control frames sent (Binance: 200 ms, at most 5/s); zero = none. */
  default Duration controlPace() {
    return Duration.ZERO;
  }

  /** Most (channel, symbol) pairs one connection may hold (Binance: 1024 streams). */
  default int maxSubscriptions() {
    return Integer.MAX_VALUE;
  }

  /**
   * Most connections a stream's demand may spread over ({@link #maxSubscriptions()} each); pairs
   * beyond them are refused to the clients that asked, as Alpaca's 405 (Binance: configurable).
   */
  default int maxConnections() {
    return Integer.MAX_VALUE;
  }

  /**
   * The channels that flow steadily while the market is open, so that their silence beyond the
   * silence window means a stalled connection; a demand holding none of them is never taken for
   * stalled by silence, only by a missing pong. Trades and quotes by default (see {@link
   * SilenceRule#STEADY}).
   */
  default java.util.Set<io.tickrelay.marketdata.Channel> steadyChannels() {
    return SilenceRule.STEADY;
  }

  /** Who pings. */
  default KeepaliveMode keepalive() {
    return KeepaliveMode.CLIENT_PINGS;
  }

  /** Age at which a session is replaced, make-before-break (Binance: below 24 h); zero = never. */
  default Duration maxSessionAge() {
    return Duration.ZERO;
  }

  /** Whether the gateway's pings keep the connection alive, or the server's (answered by the transport). */
  enum KeepaliveMode {
    /** The gateway pings every ping interval and expects a pong within the pong timeout (Alpaca). */
    CLIENT_PINGS,
    /**
     * The server pings and the client must answer with the same payload (Binance, every 20 s);
     * Tyrus answers every ping with a pong echoing its payload itself (RFC 6455 §5.5.3, tested in
     * TyrusTransportTest), so the gateway sends no pings of its own; stalls are caught by the
     * silence window only.
     */
    ANSWER_SERVER_PINGS
  }

  /**
   * The post-open steps of one session until it is live. The lifecycle calls {@link #opened()}
   * once the socket is open, then {@link #progressed} for every {@link Inbound.AuthProgress} item;
   * it sends the step's frames, and goes live when a step says so. Errors during the conversation
   * arrive as {@link Inbound.ProviderError}; the auth deadline covers the whole conversation.
   */
  interface Conversation {
    Step opened();

    Step progressed(Inbound.AuthProgress progress);
  }

  /** What to send now, and whether the session is now live (authenticated, ready to subscribe). */
  record Step(List<Frame> send, boolean live) {

    public Step {
      send = List.copyOf(send);
    }

    public static Step waiting() {
      return new Step(List.of(), false);
    }

    public static Step reply(Frame... frames) {
      return new Step(List.of(frames), false);
    }

    public static Step goLive(Frame... frames) {
      return new Step(List.of(frames), true);
    }
  }

  /** A connect URL and the demand it already subscribes ({@link Interest#none()} for most). */
  record Target(URI uri, Interest carried) {
    public static Target of(URI uri) {
      return new Target(uri, Interest.none());
    }
  }
}
