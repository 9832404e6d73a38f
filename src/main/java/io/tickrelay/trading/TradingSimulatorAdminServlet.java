package io.tickrelay.trading;

import io.tickrelay.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The test switch of the embedded trading simulator, off unless {@code
 * tickrelay.simulator.admin.enabled=true} (unauthenticated: test environments only). {@code GET
 * /simulator/trading/admin} shows its sessions; {@code POST
 * /simulator/trading/admin?action=fill&symbol=AAPL&qty=10&price=187.5} emits a fill now, {@code
 * action=drop} closes every session.
 */
@WebServlet(urlPatterns = "/simulator/trading/admin")
public class TradingSimulatorAdminServlet extends HttpServlet {

  private static final Logger LOG = Logger.getLogger(TradingSimulatorAdminServlet.class.getName());
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9./]{1,21}");

  @Inject GatewayConfig config;
  @Inject EmbeddedTradingSimulator embedded;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    TradingSimulator simulator = simulatorOrNotFound(response);
    if (simulator != null) {
      reply(response, 200, describe(simulator));
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    TradingSimulator simulator = simulatorOrNotFound(response);
    if (simulator == null) {
      return;
    }
    String action = String.valueOf(request.getParameter("action"));
    switch (action) {
      case "fill" -> {
        String symbol = request.getParameter("symbol");
        String qty = request.getParameter("qty");
        String price = request.getParameter("price");
        if (symbol == null || !SYMBOL.matcher(symbol).matches() || !decimal(qty) || !decimal(price)) {
          reply(response, 400, "{\"error\":\"fill needs symbol, qty and price\"}");
          return;
        }
        String data = simulator.fill(symbol, qty, price);
        LOG.info(() -> "Trading simulator: fill of " + qty + " " + symbol + " injected");
        reply(response, 200, data);
      }
      case "drop" -> {
        simulator.disconnectAll(
            new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "simulator fault: drop"));
        reply(response, 200, describe(simulator));
      }
      default -> reply(response, 400, "{\"error\":\"unknown action\"}");
    }
  }

  private static boolean decimal(String value) {
    if (value == null) {
      return false;
    }
    try {
      return new BigDecimal(value).signum() > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private TradingSimulator simulatorOrNotFound(HttpServletResponse response) throws IOException {
    if (!config.simulatorAdminEnabled() || embedded.simulator().isEmpty()) {
      response.sendError(404);
      return null;
    }
    return embedded.simulator().get();
  }

  private static String describe(TradingSimulator simulator) {
    return "{\"sessions\":" + simulator.sessions() + ",\"listening\":" + simulator.listeners() + "}";
  }

  private static void reply(HttpServletResponse response, int status, String json) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getWriter().write(json);
  }
}
