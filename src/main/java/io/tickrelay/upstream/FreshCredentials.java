package io.tickrelay.upstream;

import java.util.logging.Logger;

/**
 * Reads a connection's credentials afresh before every connect, so a rotated secret is used at the
 * next reconnect; a failing source keeps the credentials the gateway started with. Logs the key id
 * (never the secret) when it changes.
 */
final class FreshCredentials {

  private static final Logger LOG = Logger.getLogger(FreshCredentials.class.getName());

  private final UpstreamSettings settings;
  private volatile String lastKeyId;

  FreshCredentials(UpstreamSettings settings) {
    this.settings = settings;
  }

  UpstreamSettings.Credentials read() {
    UpstreamSettings.Credentials fresh;
    try {
      fresh = settings.credentials().current();
    } catch (RuntimeException e) {
      LOG.warning(() -> settings.name() + ": credentials could not be re-read ("
          + e.getClass().getSimpleName() + "), using the ones it started with");
      fresh = null;
    }
    if (fresh == null || fresh.keyId() == null || fresh.secret() == null) {
      return new UpstreamSettings.Credentials(settings.keyId(), settings.secret());
    }
    String key = fresh.keyId();
    if (!key.equals(lastKeyId)) {
      String previous = lastKeyId;
      LOG.info(() -> settings.name() + ": authenticating with key " + key
          + (previous == null ? "" : " (was " + previous + ")"));
      lastKeyId = key;
    }
    return fresh;
  }
}
