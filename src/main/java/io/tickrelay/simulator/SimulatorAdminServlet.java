package io.tickrelay.simulator;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.protocol.AlpacaError;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The operator's fault switch for the embedded simulator, off unless {@code
 * tickrelay.simulator.admin.enabled=true} (it is unauthenticated: test environments only).
 * {@code GET /simulator/admin} shows the faults; {@code POST /simulator/admin?action=...} sets one:
 * drop, mute, unmute, refuse&amp;status=429, error&amp;code=500, deny&amp;feeds=sip, limit&amp;symbols=N,
 * clear.
 */
@WebServlet(urlPatterns = "/simulator/admin")
public class SimulatorAdminServlet extends HttpServlet {

  private static final Logger LOG = Logger.getLogger(SimulatorAdminServlet.class.getName());

  @Inject GatewayConfig config;
  @Inject EmbeddedSimulator embedded;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AlpacaSimulator simulator = simulatorOrNotFound(response);
    if (simulator != null) {
      reply(response, 200, describe(simulator));
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AlpacaSimulator simulator = simulatorOrNotFound(response);
    if (simulator == null) {
      return;
    }
    String action = String.valueOf(request.getParameter("action"));
    try {
      switch (action) {
        case "drop" -> simulator.disconnectAll(
            new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "simulator fault: drop"));
        case "mute" -> simulator.faults().mute(true);
        case "unmute" -> simulator.faults().mute(false);
        case "refuse" -> simulator.faults().refuseHandshakesWith(Integer.parseInt(request.getParameter("status")));
        case "error" -> simulator.sendError(errorOf(request.getParameter("code")));
        case "deny" -> simulator.faults().denyFeeds(Set.of(request.getParameter("feeds").split("\\+")));
        case "limit" -> simulator.faults().symbolLimit(Integer.parseInt(request.getParameter("symbols")));
        case "clear" -> simulator.faults().clear();
        default -> {
          reply(response, 400, "{\"error\":\"unknown action\"}");
          return;
        }
      }
    } catch (RuntimeException badParameter) {
      reply(response, 400, "{\"error\":\"missing or invalid parameter for " + action + "\"}");
      return;
    }
    LOG.warning("Simulator fault injected by operator: " + action + " -> " + simulator.faults());
    reply(response, 200, describe(simulator));
  }

  private AlpacaSimulator simulatorOrNotFound(HttpServletResponse response) throws IOException {
    if (!config.simulatorAdminEnabled() || embedded.simulator().isEmpty()) {
      response.sendError(404);
      return null;
    }
    return embedded.simulator().get();
  }

  private static AlpacaError errorOf(String code) {
    AlpacaError error = AlpacaError.ofCode(Integer.parseInt(code));
    if (error == null) {
      throw new IllegalArgumentException("not an Alpaca error code");
    }
    return error;
  }

  private static String describe(AlpacaSimulator simulator) {
    return "{\"faults\":" + simulator.faults() + ",\"sessions\":" + simulator.sessions() + "}";
  }

  private static void reply(HttpServletResponse response, int status, String json) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getWriter().write(json);
  }
}
