package io.tickrelay.binance;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The embedded Binance simulator's REST symbol list, {@code /simulator/binance/api/v3/exchangeInfo},
 * where the gateway's {@link BinanceListing} looks in simulator mode, as it looks at Binance's.
 */
@WebServlet(urlPatterns = "/simulator/binance" + ExchangeInfo.PATH)
public class BinanceSimulatorRestServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient EmbeddedBinanceSimulator embedded;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<BinanceSimulator> simulator = embedded.simulator();
    if (simulator.isEmpty()) {
      response.sendError(404);
      return;
    }
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(simulator.get().exchangeInfo());
  }
}
