package io.tickrelay.metrics;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}, served by the WAR so that {@code access.OperatorFilter} guards it on every
 * server. The exact mapping matters on Payara Micro: its MicroProfile Metrics adds a servlet at
 * {@code /metrics/*} to the application at the root context, ours; an exact pattern wins over a
 * path prefix (Servlet 6.0, 12.2), and the filter covers its sub-paths too.
 */
@WebServlet(urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

  @Inject Metrics metrics;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    response.setContentType(PrometheusText.CONTENT_TYPE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
