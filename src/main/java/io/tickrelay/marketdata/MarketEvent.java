package io.tickrelay.marketdata;

import java.time.Instant;

/** One normalized market-data message, as produced by any upstream and relayed to clients. */
public sealed interface MarketEvent
    permits Trade, Quote, Bar, TradingStatus, Luld, Imbalance, TradeCorrection, TradeCancel,
        CryptoTrade, CryptoQuote, CryptoBar, OrderBook, TradeUpdate, Published, PassThrough {

  /** The symbol (or, for published events, the channel name) a subscription matches. */
  String symbol();

  Instant timestamp();

  /**
   * The channel a client must be subscribed to in order to receive this event; null only for a
   * {@link PassThrough}, which goes to its symbol's subscribers on every channel.
   */
  Channel channel();
}
