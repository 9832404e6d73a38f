package io.tickrelay.trading;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The simulator's order book of one account: each step moves the current order one stage along
 * {@code new -> partial_fill -> fill} (one in five is {@code canceled} after its partial fill) and
 * returns that event's {@code data} JSON in Alpaca's shape, keeping positions per symbol.
 */
final class SimulatedOrders {

  private static final JsonProvider JSON = JsonProvider.provider();
  private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA", "SPY");

  private final Clock clock;
  private final Random random;
  private final Map<String, BigDecimal> positions = new HashMap<>();
  private Order current;

  private static final class Order {
    final String id = UUID.randomUUID().toString();
    final String clientOrderId = UUID.randomUUID().toString();
    final String symbol;
    final BigDecimal qty;
    final BigDecimal price;
    final String createdAt;
    BigDecimal filled = BigDecimal.ZERO;
    String status = "new";

    Order(String symbol, BigDecimal qty, BigDecimal price, String createdAt) {
      this.symbol = symbol;
      this.qty = qty;
      this.price = price;
      this.createdAt = createdAt;
    }
  }

  SimulatedOrders(Clock clock, long seed) {
    this.clock = clock;
    this.random = new Random(seed);
  }

  /** The next lifecycle event of the simulated account. */
  synchronized String next() {
    if (current == null) {
      String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
      BigDecimal qty = BigDecimal.valueOf(2 + random.nextInt(20));
      BigDecimal price = BigDecimal.valueOf(50 + random.nextInt(400_00) / 100.0)
          .setScale(2, RoundingMode.HALF_UP);
      current = new Order(symbol, qty, price, now());
      return event(current, "new", null);
    }
    Order order = current;
    if (order.filled.signum() == 0) {
      return execute(order, order.qty.divide(BigDecimal.valueOf(2), 0, RoundingMode.DOWN)
          .max(BigDecimal.ONE), "partial_fill", "partially_filled");
    }
    current = null;
    if (random.nextInt(5) == 0) {
      order.status = "canceled";
      return event(order, "canceled", now());
    }
    return execute(order, order.qty.subtract(order.filled), "fill", "filled");
  }

  /** A new order filled completely at once (for tests and demos). */
  synchronized String fill(String symbol, String qty, String price) {
    Order order = new Order(symbol, new BigDecimal(qty), new BigDecimal(price), now());
    return execute(order, order.qty, "fill", "filled");
  }

  private String execute(Order order, BigDecimal qty, String event, String status) {
    order.filled = order.filled.add(qty);
    order.status = status;
    BigDecimal position = positions.merge(order.symbol, qty, BigDecimal::add);
    String at = now();
    JsonObjectBuilder data = JSON.createObjectBuilder()
        .add("event", event)
        .add("execution_id", UUID.randomUUID().toString())
        .add("timestamp", at)
        .add("price", order.price.toPlainString())
        .add("qty", qty.toPlainString())
        .add("position_qty", position.toPlainString())
        .add("order", order(order, at));
    return data.build().toString();
  }

  private String event(Order order, String event, String timestamp) {
    JsonObjectBuilder data = JSON.createObjectBuilder().add("event", event);
    if (timestamp != null) {
      data.add("timestamp", timestamp);
    }
    return data.add("order", order(order, timestamp == null ? order.createdAt : timestamp))
        .build().toString();
  }

  /** The REST order object's fields the SDKs read (docs example, websocket-streaming). */
  private static JsonObjectBuilder order(Order order, String updatedAt) {
    JsonObjectBuilder o = JSON.createObjectBuilder()
        .add("id", order.id)
        .add("client_order_id", order.clientOrderId)
        .add("created_at", order.createdAt)
        .add("updated_at", updatedAt)
        .add("submitted_at", order.createdAt)
        .add("symbol", order.symbol)
        .add("asset_class", "us_equity")
        .add("qty", order.qty.toPlainString())
        .add("filled_qty", order.filled.toPlainString())
        .add("order_class", "")
        .add("order_type", "market")
        .add("type", "market")
        .add("side", "buy")
        .add("time_in_force", "day")
        .add("status", order.status)
        .add("extended_hours", false);
    if (order.filled.signum() > 0) {
      o.add("filled_avg_price", order.price.toPlainString());
    } else {
      o.addNull("filled_avg_price");
    }
    if ("filled".equals(order.status)) {
      o.add("filled_at", updatedAt);
    } else {
      o.addNull("filled_at");
    }
    return o;
  }

  private String now() {
    return clock.instant().toString();
  }
}
