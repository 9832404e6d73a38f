package io.tickrelay.admission;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Hands the remote address of a WebSocket upgrade on the client paths to the endpoint: as the
 * header {@link RemoteAddress#HEADER} of the request the container upgrades, replacing any value
 * the client sent under that name. Jakarta WebSocket offers no portable remote address; a filter
 * sees the servlet request before the upgrade on both Open Liberty and Payara (Tyrus maps its own
 * upgrade filter after the application's, Servlet 6.0 §8.2.3).
 */
@WebFilter(
    urlPatterns = {"/v2/*", "/v1beta3/*", "/x/v1/*", "/stream"},
    asyncSupported = true)
public class RemoteAddressFilter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getHeader("Sec-WebSocket-Key") == null) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(new WithAddress(request, request.getRemoteAddr()), response);
  }

  /** The request with the address header set by the gateway, never by the client. */
  private static final class WithAddress extends HttpServletRequestWrapper {
    private final String address;

    WithAddress(HttpServletRequest request, String address) {
      super(request);
      this.address = address;
    }

    @Override
    public String getHeader(String name) {
      return RemoteAddress.HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return RemoteAddress.HEADER.equalsIgnoreCase(name)
          ? Collections.enumeration(List.of(address))
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = new ArrayList<>();
      for (String name : Collections.list(super.getHeaderNames())) {
        if (!RemoteAddress.HEADER.equalsIgnoreCase(name)) {
          names.add(name);
        }
      }
      names.add(RemoteAddress.HEADER);
      return Collections.enumeration(names);
    }
  }
}
