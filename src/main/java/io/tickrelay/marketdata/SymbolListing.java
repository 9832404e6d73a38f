package io.tickrelay.marketdata;

/**
 * The symbols a provider lists on a stream, so that a client asking for others is refused before
 * any upstream stream exists for them (Binance accepts streams for symbols it does not list and
 * then sends nothing, upstream-protocols.md §2.2). Streams no listing covers take any symbol.
 */
public interface SymbolListing {

  /** Covers no stream: every symbol may be asked for. */
  SymbolListing NONE = new SymbolListing() {
    @Override
    public boolean covers(String stream) {
      return false;
    }

    @Override
    public boolean lists(String stream, String symbol) {
      return true;
    }
  };

  /** Whether this listing decides which symbols of {@code stream} exist (once it has a list). */
  boolean covers(String stream);

  /** Whether the provider lists {@code symbol} on a covered stream. */
  boolean lists(String stream, String symbol);
}
