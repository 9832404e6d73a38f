package io.tickrelay.simulator;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses the simulator's WebSocket upgrades with an HTTP status while that fault is on, as
 * Alpaca does with 429 when clients reconnect too fast (upstream-protocols.md §1.6, HTTP-level).
 * The WebSocket API cannot choose a handshake status, so this sits in front of it.
 */
@WebFilter(urlPatterns = {"/simulator/v2/*", "/simulator/v1beta3/*"})
public class HandshakeRefusalFilter extends HttpFilter {

  @Inject EmbeddedSimulator embedded;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    int status = embedded.simulator().map(s -> s.faults().refuseHandshakesWith()).orElse(0);
    if (status > 0) {
      response.setHeader("Retry-After", "30");
      response.sendError(status, "refused by simulator fault injection");
      return;
    }
    chain.doFilter(request, response);
  }
}
