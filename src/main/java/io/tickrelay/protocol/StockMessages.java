package io.tickrelay.protocol;

import static io.tickrelay.protocol.Messages.dbl;
import static io.tickrelay.protocol.Messages.lng;
import static io.tickrelay.protocol.Messages.str;
import static io.tickrelay.protocol.Messages.strs;

import io.tickrelay.marketdata.Imbalance;
import io.tickrelay.marketdata.Luld;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.TradeCancel;
import io.tickrelay.marketdata.TradeCorrection;
import io.tickrelay.marketdata.TradingStatus;
import java.util.Map;

/**
 * Alpaca's stock messages beside trades, quotes and bars (upstream-protocols.md §1.5; Alpaca docs,
 * real-time-stock-pricing-data): trading status {@code s}, LULD {@code l}, imbalance {@code i},
 * correction {@code c} and cancel/error {@code x}, with the keys and key order of Alpaca's
 * documented examples, {@code T} first, ids and sizes as integers.
 */
final class StockMessages {

  private StockMessages() {}

  /** Writes one of these records and returns true, or returns false for any other event. */
  static boolean writeEvent(MessageWriter w, MarketEvent event, long seq) {
    int extra = seq >= 0 ? 1 : 0;
    if (event instanceof TradingStatus s) {
      w.mapHeader(8 + extra);
      w.field("T", "s");
      w.field("S", s.symbol());
      w.field("sc", s.statusCode());
      w.field("sm", s.statusMessage());
      w.field("rc", s.reasonCode());
      w.field("rm", s.reasonMessage());
      w.timeField("t", s.timestamp());
      w.field("z", s.tape());
    } else if (event instanceof Luld l) {
      w.mapHeader(7 + extra);
      w.field("T", "l");
      w.field("S", l.symbol());
      w.field("u", l.limitUp());
      w.field("d", l.limitDown());
      w.field("i", l.indicator());
      w.timeField("t", l.timestamp());
      w.field("z", l.tape());
    } else if (event instanceof Imbalance i) {
      w.mapHeader(5 + extra);
      w.field("T", "i");
      w.field("S", i.symbol());
      w.field("p", i.price());
      w.field("z", i.tape());
      w.timeField("t", i.timestamp());
    } else if (event instanceof TradeCorrection c) {
      w.mapHeader(13 + extra);
      w.field("T", "c");
      w.field("S", c.symbol());
      w.field("x", c.exchange());
      w.integerField("oi", c.originalId());
      w.field("op", c.originalPrice());
      w.integerField("os", c.originalSize());
      w.strings("oc", c.originalConditions(), c.originalConditions().size());
      w.integerField("ci", c.correctedId());
      w.field("cp", c.correctedPrice());
      w.integerField("cs", c.correctedSize());
      w.strings("cc", c.correctedConditions(), c.correctedConditions().size());
      w.field("z", c.tape());
      w.timeField("t", c.timestamp());
    } else if (event instanceof TradeCancel x) {
      w.mapHeader(9 + extra);
      w.field("T", "x");
      w.field("S", x.symbol());
      w.integerField("i", x.id());
      w.field("x", x.exchange());
      w.field("p", x.price());
      w.integerField("s", x.size());
      w.field("a", x.action());
      w.field("z", x.tape());
      w.timeField("t", x.timestamp());
    } else {
      return false;
    }
    Messages.writeSeq(w, seq);
    w.endMap();
    return true;
  }

  /** One of these records, or null for another type; a missing or mistyped field throws. */
  static MarketEvent readEvent(String type, Map<?, ?> m) {
    return switch (type) {
      case "s" -> new TradingStatus(
          str(m, "S"), str(m, "sc"), str(m, "sm"), str(m, "rc"), str(m, "rm"),
          TreeValues.instant(m.get("t")), str(m, "z"));
      case "l" -> new Luld(
          str(m, "S"), dbl(m, "u"), dbl(m, "d"), str(m, "i"), TreeValues.instant(m.get("t")),
          str(m, "z"));
      case "i" -> new Imbalance(
          str(m, "S"), dbl(m, "p"), TreeValues.instant(m.get("t")), str(m, "z"));
      case "c" -> new TradeCorrection(
          str(m, "S"), str(m, "x"), lng(m, "oi"), dbl(m, "op"), lng(m, "os"), strs(m, "oc"),
          lng(m, "ci"), dbl(m, "cp"), lng(m, "cs"), strs(m, "cc"), TreeValues.instant(m.get("t")),
          str(m, "z"));
      case "x" -> new TradeCancel(
          str(m, "S"), lng(m, "i"), str(m, "x"), dbl(m, "p"), lng(m, "s"), str(m, "a"),
          TreeValues.instant(m.get("t")), str(m, "z"));
      default -> null;
    };
  }
}
