package io.tickrelay.simulator;

import io.tickrelay.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The embedded simulator's market-data REST API, {@code /simulator/data/v2/stocks/trades} and
 * friends (see {@link SimulatedHistoryApi}): the default run's backfill fetches from here.
 */
@WebServlet(urlPatterns = "/simulator/data/*")
public class SimulatorDataServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient GatewayConfig config;
  @Inject transient EmbeddedSimulator embedded;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (embedded.simulator().isEmpty()) {
      response.sendError(404);
      return;
    }
    SimulatedHistoryApi api = new SimulatedHistoryApi(embedded.simulator().get().history(), config.simulatorAccount());
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    SimulatedHistoryApi.Answer answer = api.get(path, request::getParameter, request::getHeader);
    response.setStatus(answer.status());
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(answer.body());
  }
}
