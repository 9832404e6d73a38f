package io.tickrelay.alpaca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Trade;
import io.tickrelay.protocol.ServerMessage;
import io.tickrelay.upstream.Inbound;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An upstream message of a type the gateway passes through, nested past the limit, is refused at
 * the parsing boundary: counted every time, logged once per type with a printable excerpt, never
 * relayed, and the trades of the same frame go on.
 */
class AlpacaDepthLimitTest {

  private static final String TRADE =
      "{\"T\":\"t\",\"S\":\"NVDA\",\"i\":%d,\"x\":\"V\",\"p\":120.5,\"s\":10,"
          + "\"t\":\"2025-01-01T00:00:00Z\",\"c\":[\"@\"],\"z\":\"C\"}";

  private static String deep(String type, int depth) {
    return "{\"T\":\"" + type + "\",\"S\":\"NVDA\",\"v\":" + "[".repeat(depth - 1) + "1"
        + "]".repeat(depth - 1) + "}";
  }

  @Test
  void deeperThanTheLimitIsCountedLoggedOncePerTypeAndTheTradesGoOn() throws Exception {
    AlpacaProtocol protocol = AlpacaProtocol.stocks();
    List<LogRecord> logged = new ArrayList<>();
    Logger log = Logger.getLogger(AlpacaProtocol.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(handler);
    try {
      int tooDeep = ServerMessage.MAX_PASS_THROUGH_DEPTH + 1;
      for (int round = 0; round < 3; round++) {
        List<Inbound> items = protocol.decode("[" + String.format(TRADE, 1) + ","
            + deep("zz\\u001b[2J", tooDeep) + "," + deep("zz", 900) + ","
            + String.format(TRADE, 2) + "," + deep("ok", tooDeep - 1) + "]");
        assertEquals(3, items.size(), items.toString());
        assertEquals(1, assertInstanceOf(Trade.class, ((Inbound.Data) items.get(0)).event()).id());
        assertEquals(2, assertInstanceOf(Trade.class, ((Inbound.Data) items.get(1)).event()).id());
        assertInstanceOf(io.tickrelay.marketdata.PassThrough.class,
            ((Inbound.Data) items.get(2)).event(), "at the limit it is relayed");
      }
      assertEquals(6, protocol.refusedTooDeep());
      List<String> lines = logged.stream().map(LogRecord::getMessage)
          .filter(m -> m.contains("nested deeper")).toList();
      assertEquals(2, lines.size(), "once per type: " + lines);
      for (String line : lines) {
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable: " + line);
        assertTrue(line.length() < 400, "an excerpt, not the frame: " + line.length());
      }
    } finally {
      log.removeHandler(handler);
    }
  }
}
