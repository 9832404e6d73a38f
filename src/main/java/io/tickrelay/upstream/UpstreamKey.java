package io.tickrelay.upstream;

/**
 * What makes two upstream connections the same: the provider, the account's key id (the provider
 * counts its connection limit per key) and the feed group (for example Alpaca stocks).
 */
public record UpstreamKey(String provider, String keyId, String feedGroup) {

  @Override
  public String toString() {
    return provider + "/" + feedGroup + "/" + keyId;
  }
}
