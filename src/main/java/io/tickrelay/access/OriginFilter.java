package io.tickrelay.access;

import io.tickrelay.admission.ClientAdmission;
import io.tickrelay.admission.Refusal;
import io.tickrelay.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Refuses a client WebSocket upgrade from a browser page of a foreign origin with 403 before the
 * handshake (cross-site WebSocket hijacking: a page riding cached Basic credentials, or victims'
 * browsers holding client slots). A filter rather than {@code Configurator.checkOrigin}, because
 * the own-origin rule needs the {@code Host} header, which checkOrigin does not see; a filter in
 * front of the upgrade works on Liberty and Payara alike (as simulator.HandshakeRefusalFilter).
 */
@WebFilter(urlPatterns = {"/v2/*", "/v1beta3/crypto/*", "/x/v1/channels", "/stream", "/baseline/*"})
public class OriginFilter extends HttpFilter {

  private static final Logger LOG = Logger.getLogger(OriginFilter.class.getName());

  @Inject GatewayConfig config;
  @Inject ClientAdmission admission;

  private final AtomicLong refused = new AtomicLong();
  private volatile AllowedOrigins allowed;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String origin = request.getHeader("Origin");
    AllowedOrigins origins = allowed;
    if (origins == null) {
      origins = AllowedOrigins.parse(config.allowedOrigins());
      allowed = origins;
    }
    if (!origins.allows(origin, request.getHeader("Host"))) {
      long count = refused.incrementAndGet();
      admission.admission().refusals().count(Refusal.ORIGIN_REFUSED);
      LOG.fine(() -> "WebSocket upgrade from a foreign origin refused (" + count + " so far): "
          + printable(origin));
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
      return;
    }
    chain.doFilter(request, response);
  }

  /** Client-supplied text for a log line: printable ASCII only, at most 100 characters. */
  static String printable(String text) {
    String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
