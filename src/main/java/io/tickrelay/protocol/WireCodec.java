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

  /** The full subscription state; {@code corrections} and {@code cancelErrors} follow trades. */
  byte[] subscription(Interest interest);

  /**
   * The full subscription state with exactly these channel keys, each present even when empty
   * (crypto: trades, quotes, orderbooks, bars, updatedBars, dailyBars, upstream-protocols.md §1.4;
   * the gateway's published channels: channels).
   */
  byte[] subscription(Interest interest, Set<Channel> keys);

  byte[] auth(String key, String secret);

  byte[] subscriptionRequest(boolean subscribe, Interest interest);

  ClientMessage decodeClient(byte[] frame) throws ProtocolException;

  List<ServerMessage> decodeServer(byte[] frame) throws ProtocolException;
}
