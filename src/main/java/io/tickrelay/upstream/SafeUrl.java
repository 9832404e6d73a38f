package io.tickrelay.upstream;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A URL as it may be shown in logs and status: user info, query and fragment can carry credentials
 * or tokens, so only scheme, host, port and path remain.
 */
public final class SafeUrl {

  private SafeUrl() {}

  public static String of(URI uri) {
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "(unparseable URL withheld)";
    }
  }

  public static String of(String url) {
    try {
      return of(new URI(url));
    } catch (URISyntaxException | RuntimeException e) {
      return "(unparseable URL withheld)";
    }
  }
}
