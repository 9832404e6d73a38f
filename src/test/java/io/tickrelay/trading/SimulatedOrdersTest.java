package io.tickrelay.trading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's orders go through Alpaca's lifecycle with consistent quantities and positions. */
class SimulatedOrdersTest {

  private final SimulatedOrders orders =
      new SimulatedOrders(Clock.fixed(Instant.parse("2026-12-01T15:00:00Z"), ZoneOffset.UTC), 3);

  @Test
  void everyOrderIsNewThenPartiallyFilledThenFilledOrCanceled() {
    Map<String, BigDecimal> positions = new HashMap<>();
    List<String> ends = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      JsonObject created = parse(orders.next());
      assertEquals("new", created.getString("event"));
      String id = created.getJsonObject("order").getString("id");
      String symbol = created.getJsonObject("order").getString("symbol");
      BigDecimal qty = new BigDecimal(created.getJsonObject("order").getString("qty"));

      JsonObject partial = parse(orders.next());
      assertEquals("partial_fill", partial.getString("event"));
      assertEquals(id, partial.getJsonObject("order").getString("id"));
      BigDecimal first = new BigDecimal(partial.getString("qty"));
      assertTrue(first.compareTo(qty) < 0, "a partial fill leaves something");
      positions.merge(symbol, first, BigDecimal::add);
      assertEquals(positions.get(symbol), new BigDecimal(partial.getString("position_qty")));

      JsonObject end = parse(orders.next());
      assertEquals(id, end.getJsonObject("order").getString("id"));
      ends.add(end.getString("event"));
      if (end.getString("event").equals("fill")) {
        positions.merge(symbol, qty.subtract(first), BigDecimal::add);
        assertEquals(qty, new BigDecimal(end.getJsonObject("order").getString("filled_qty")));
        assertEquals(positions.get(symbol), new BigDecimal(end.getString("position_qty")));
        assertEquals("filled", end.getJsonObject("order").getString("status"));
      } else {
        assertEquals("canceled", end.getString("event"));
        assertEquals("2026-12-01T15:00:00Z", end.getString("timestamp"));
      }
    }
    assertTrue(ends.contains("fill") && ends.contains("canceled"), ends.toString());
  }

  @Test
  void anInjectedFillIsCompleteAndMovesThePosition() {
    JsonObject fill = parse(orders.fill("NVDA", "5", "120.5"));
    assertEquals("fill", fill.getString("event"));
    assertEquals("5", fill.getString("qty"));
    assertEquals("120.5", fill.getString("price"));
    assertEquals("5", fill.getString("position_qty"));
    assertEquals("2026-12-01T15:00:00Z", fill.getString("timestamp"));
    assertEquals("NVDA", fill.getJsonObject("order").getString("symbol"));
    assertEquals("10", parse(orders.fill("NVDA", "5", "121")).getString("position_qty"));
  }

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }
}
