package io.tickrelay.protocol;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import java.util.List;
import java.util.Set;

/**
 * Encodes and decodes Alpaca stream messages in one wire format. Data events are encoded one by
 * one and joined into frames, so an event is encoded once per format however many clients get it.
 */
public interface WireCodec {

  WireFormat format();

  /** One data event, ready to be placed in a frame with {@link #frame(List)}. */
  byte[] event(MarketEvent event);

  /** A data frame (an array) made of already encoded events. */
  byte[] frame(List<byte[]> encodedEvents);

  byte[] success(String msg);

  byte[] error(AlpacaError error);

  /**
   * The full subscription state in the stock shape; {@code corrections} and {@code cancelErrors}
   * follow trades. Same as {@code subscription(interest, AssetClass.STOCKS)}.
   */
  default byte[] subscription(Interest interest) {
    return subscription(interest, AssetClass.STOCKS);
  }

  /**
   * The full subscription state as the stream family acknowledges it: for {@link
   * AssetClass#CRYPTO} exactly {@code trades, quotes, orderbooks, bars, updatedBars, dailyBars}
   * (no corrections or cancelErrors), for {@link AssetClass#STOCKS} the stock keys. Distribution
   * answers a client on {@code /v1beta3/crypto/{loc}} with {@code
   * subscription(interest, AssetClass.CRYPTO)} (or {@code AssetClass.ofStream(stream)}).
   */
  byte[] subscription(Interest interest, AssetClass assetClass);

  /**
   * The full subscription state with exactly these channel keys, each present even when empty, in
   * Alpaca's order (crypto: trades, quotes, orderbooks, bars, updatedBars, dailyBars, upstream-protocols.md §1.4;
   * the gateway's published channels: channels).
   */
  byte[] subscription(Interest interest, Set<Channel> keys);

  byte[] auth(String key, String secret);

  byte[] subscriptionRequest(boolean subscribe, Interest interest);

  ClientMessage decodeClient(byte[] frame) throws ProtocolException;

  /** A frame from a stock stream ({@code /v2/{feed}}). */
  default List<ServerMessage> decodeServer(byte[] frame) throws ProtocolException {
    return decodeServer(frame, AssetClass.STOCKS);
  }

  /**
   * A frame from a stream of {@code assetClass}: {@code T:"t"} is a {@code Trade} on stocks and a
   * {@code CryptoTrade} on crypto, and so on for quotes and bars; {@code T:"o"} is an order book
   * on crypto only. Control messages read the same on both.
   */
  List<ServerMessage> decodeServer(byte[] frame, AssetClass assetClass) throws ProtocolException;
}
