package io.tickrelay.trading;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.Streams;
import io.tickrelay.upstream.ErrorStrategies;
import io.tickrelay.upstream.FailureReaction;
import io.tickrelay.upstream.Frame;
import io.tickrelay.upstream.Inbound;
import io.tickrelay.upstream.SubscriptionRequest;
import io.tickrelay.upstream.UnreadableFrame;
import io.tickrelay.upstream.UpstreamProtocol;
import io.tickrelay.upstream.UpstreamSettings;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Alpaca's trading stream as an upstream adapter (package docs): on open send {@code
 * authenticate}, live on {@code authorized}; demand for {@code trade_updates} becomes a {@code
 * listen} with the full set (an empty list to stop), acknowledged in order by {@code listening};
 * JSON arrives in binary frames on the paper endpoint and is read from text frames too.
 *
 * <p>The trading stream has no error codes. The adapter reports its refusals under the codes of
 * the market-data table with the same meaning ({@link #classify}), so status and logs read alike.
 */
public final class TradingProtocol implements UpstreamProtocol {

  /** Everything the stream offers: the account's trade updates (there is no symbol filter). */
  static final Interest ALL = Interest.of(Channel.TRADE_UPDATES, Interest.WILDCARD);

  static final int UNAUTHORIZED = 402;
  static final int NOT_AUTHORIZED_YET = 401;
  static final int SERVER_ERROR = 500;

  private static final String AUTHORIZED_STEP = "authorized";
  private static final Map<Integer, ErrorStrategies.ErrorStrategy> ERRORS = Map.of(
      UNAUTHORIZED, ErrorStrategies.row(UNAUTHORIZED, FailureReaction.RECONNECT_SLOWLY,
          "the trading stream answered unauthorized to the API key and secret",
          "check APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper keys need the paper URL)"),
      NOT_AUTHORIZED_YET, ErrorStrategies.row(NOT_AUTHORIZED_YET, FailureReaction.RECONNECT,
          "a listen arrived before authorization", "none: the gateway reconnects"),
      SERVER_ERROR, ErrorStrategies.row(SERVER_ERROR, FailureReaction.RECONNECT,
          "the trading stream reported an error and closes the connection",
          "none: the gateway reconnects with backoff"));

  private final Clock clock;

  public TradingProtocol(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String provider() {
    return "alpaca";
  }

  @Override
  public String stream() {
    return Streams.TRADING;
  }

  /** The configured URL is the stream itself ({@code wss://paper-api.alpaca.markets/stream}). */
  @Override
  public Target target(URI baseUrl, String feed, Interest demand) {
    return Target.of(baseUrl);
  }

  @Override
  public Conversation conversation(UpstreamSettings.Credentials credentials) {
    return new Conversation() {
      @Override
      public Step opened() {
        // the client speaks first (alpaca-py trading/stream.py _auth; js websockets.js authenticate)
        return Step.reply(Frame.text(TradingFrames.authenticate(credentials.keyId(), credentials.secret())));
      }

      @Override
      public Step progressed(Inbound.AuthProgress progress) {
        return AUTHORIZED_STEP.equals(progress.step()) ? Step.goLive() : Step.waiting();
      }
    };
  }

  @Override
  public List<Inbound> decode(String frame) throws UnreadableFrame {
    TradingFrames.Received received;
    try {
      received = TradingFrames.decode(frame, clock.instant());
    } catch (IllegalArgumentException e) {
      throw new UnreadableFrame(e.getMessage(), e);
    }
    if (received instanceof TradingFrames.Update update) {
      return List.of(new Inbound.Data(update.update()));
    }
    if (received instanceof TradingFrames.Authorization auth) {
      if (TradingFrames.AUTHORIZED.equals(auth.status())) {
        return List.of(new Inbound.AuthProgress(AUTHORIZED_STEP));
      }
      return List.of("listen".equals(auth.action())
          ? new Inbound.ProviderError(NOT_AUTHORIZED_YET, "unauthorized (listen)")
          : new Inbound.ProviderError(UNAUTHORIZED, "unauthorized"));
    }
    if (received instanceof TradingFrames.Listening listening) {
      return List.of(new Inbound.Ack(null,
          listening.streams().contains(TradingFrames.TRADE_UPDATES) ? ALL : Interest.none()));
    }
    if (received instanceof TradingFrames.Failure failure) {
      return List.of(new Inbound.ProviderError(SERVER_ERROR, failure.message()));
    }
    return List.of(); // other streams (account_updates...) are not relayed
  }

  @Override
  public List<Inbound> decode(ByteBuffer frame) throws UnreadableFrame {
    return decode(StandardCharsets.UTF_8.decode(frame).toString());
  }

  /** {@code listen} names the complete set, so a delta becomes the set that results from it. */
  @Override
  public List<SubscriptionRequest> requests(Interest added, Interest removed) {
    if (added.channels().contains(Channel.TRADE_UPDATES)) {
      return List.of(new SubscriptionRequest(
          Frame.text(TradingFrames.listen(List.of(TradingFrames.TRADE_UPDATES))), null, ALL));
    }
    if (removed.channels().contains(Channel.TRADE_UPDATES)) {
      return List.of(new SubscriptionRequest(Frame.text(TradingFrames.listen(List.of())), null,
          Interest.none()));
    }
    return List.of();
  }

  @Override
  public ErrorStrategies.ErrorStrategy classify(int code) {
    ErrorStrategies.ErrorStrategy row = ERRORS.get(code);
    return row != null ? row : ErrorStrategies.unknown(code);
  }
}
