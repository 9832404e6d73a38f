package io.tickrelay.access;

import io.tickrelay.config.Credentials;
import io.tickrelay.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * With {@code TICKRELAY_OPERATOR_CREDENTIAL} set, {@code GET /api/v1/ws/status} and {@code GET
 * /metrics} (plan tier, upstream errors, client counts) answer only to that credential, by HTTP
 * Basic or Alpaca's key headers; health stays open for probes. Unset, both are open as before.
 * {@code /metrics/*} covers what Payara Micro's own MicroProfile Metrics servlet serves there in
 * this application's context ({@code metrics.MetricsServlet}).
 */
@WebFilter(urlPatterns = {"/api/v1/ws/status", "/api/v1/ws/status/*", "/metrics", "/metrics/*"})
public class OperatorFilter extends HttpFilter {

  @Inject GatewayConfig config;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<Credentials> operator = config.operatorCredential();
    if (operator.isPresent() && !admits(operator.get(), request.getHeader("Authorization"),
        request.getHeader("APCA-API-KEY-ID"), request.getHeader("APCA-API-SECRET-KEY"))) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"tickrelay-operator\", charset=\"UTF-8\"");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "operator credential required");
      return;
    }
    chain.doFilter(request, response);
  }

  /** Basic ({@code key:secret}, RFC 7617) or the APCA key and secret headers. */
  static boolean admits(Credentials operator, String authorization, String keyId, String secret) {
    if (keyId != null && secret != null) {
      return operator.authenticate(keyId, secret).isPresent();
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    int colon = decoded.indexOf(':');
    return colon > 0
        && operator.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1)).isPresent();
  }
}
