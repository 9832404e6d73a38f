package io.tickrelay.protocol;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * WebSocket upgrades get no HTTP session: the gateway keeps no per-client state in one, but Open
 * Liberty's handshake asks for one ({@code HttpServletRequest.getSession()} in its
 * HandshakeProcessor, which creates it) and keeps it for the session timeout, 30 minutes, after the
 * socket closed, so connection churn grew the heap by a session per connection. Behind this filter
 * a session is only looked up, never created ({@code getSession(false)}, as Tyrus on Payara does).
 * Liberty hands the filtered request to its handshake (WebAppFilterChain unwraps only to {@code
 * HttpServletRequest}, which the wrapper is), and Tyrus's own filter is mapped after declared ones.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SessionlessUpgrades extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(isUpgrade(request) ? new NoNewSession(request) : request, response);
  }

  /** RFC 6455 §4.1: an upgrade request carries {@code Upgrade: websocket}. */
  static boolean isUpgrade(HttpServletRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
  }

  private static final class NoNewSession extends HttpServletRequestWrapper {
    NoNewSession(HttpServletRequest request) {
      super(request);
    }

    @Override
    public HttpSession getSession() {
      return super.getSession(false);
    }

    @Override
    public HttpSession getSession(boolean create) {
      return super.getSession(false);
    }
  }
}
