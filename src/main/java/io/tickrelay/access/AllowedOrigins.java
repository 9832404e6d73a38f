package io.tickrelay.access;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a client WebSocket: those listed in {@code
 * TICKRELAY_ALLOWED_ORIGINS}, the gateway's own (same host and port as the request's {@code Host},
 * so its dashboard works), and requests without {@code Origin} (SDKs and bots send none; browsers
 * always do, RFC 6455 §4.1 item 8 and §10.2).
 */
public final class AllowedOrigins {

  private final Set<String> listed;
  private final boolean any;

  private AllowedOrigins(Set<String> listed) {
    this.listed = listed;
    this.any = listed.contains("*");
  }

  /** {@code https://app.example,http://localhost:3000}; {@code *} allows every origin. */
  public static AllowedOrigins parse(String list) {
    return new AllowedOrigins(Arrays.stream(list.split(","))
        .map(AllowedOrigins::normalized)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet()));
  }

  /**
   * @param origin the request's {@code Origin} header, null when absent
   * @param host the request's {@code Host} header, null when absent
   */
  public boolean allows(String origin, String host) {
    if (origin == null || any) {
      return true;
    }
    String wanted = normalized(origin);
    return listed.contains(wanted) || sameHost(wanted, host);
  }

  private static boolean sameHost(String origin, String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    URI uri;
    try {
      uri = URI.create(origin);
    } catch (IllegalArgumentException e) {
      return false; // "null" (a sandboxed page or file://) and anything unreadable
    }
    if (uri.getHost() == null) {
      return false;
    }
    String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    String requested = host.trim().toLowerCase(Locale.ROOT);
    // a Host without port (a TLS-terminating proxy in front) matches the origin's default port
    return requested.equals(authority)
        || (!requested.contains(":") && uri.getHost().equals(requested) && isDefaultPort(uri));
  }

  private static boolean isDefaultPort(URI uri) {
    return uri.getPort() < 0
        || (uri.getPort() == 80 && "http".equals(uri.getScheme()))
        || (uri.getPort() == 443 && "https".equals(uri.getScheme()));
  }

  private static String normalized(String origin) {
    String trimmed = origin.trim().toLowerCase(Locale.ROOT);
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
