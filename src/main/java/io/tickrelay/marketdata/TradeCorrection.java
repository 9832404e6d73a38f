package io.tickrelay.marketdata;

import java.time.Instant;
import java.util.List;

/**
 * A correction of an earlier trade (Alpaca {@code T:"c"}): the original trade's id, price, size and
 * conditions, and the corrected ones. Alpaca sends corrections to the {@code trades} subscribers of
 * the symbol (the {@code corrections} channel follows {@code trades}, upstream-protocols.md §1.4).
 */
public record TradeCorrection(
    String symbol,
    String exchange,
    long originalId,
    double originalPrice,
    long originalSize,
    List<String> originalConditions,
    long correctedId,
    double correctedPrice,
    long correctedSize,
    List<String> correctedConditions,
    Instant timestamp,
    String tape)
    implements MarketEvent {

  public TradeCorrection {
    originalConditions = List.copyOf(originalConditions);
    correctedConditions = List.copyOf(correctedConditions);
  }

  @Override
  public Channel channel() {
    return Channel.TRADES;
  }
}
