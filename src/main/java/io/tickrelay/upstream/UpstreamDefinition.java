package io.tickrelay.upstream;

/**
 * One stream's upstream as a provider defines it: the protocol, the settings (URL, feeds,
 * credentials, timing) and whether a connection is held before any client wants anything.
 *
 * @param keepWarm hold a connection from start-up, so the gateway is ready before its first client
 */
public record UpstreamDefinition(UpstreamProtocol protocol, UpstreamSettings settings, boolean keepWarm) {

  public String stream() {
    return protocol.stream();
  }

  /** The provider counts its connection limit per key id, so the key id is part of the identity. */
  public UpstreamKey key() {
    return new UpstreamKey(protocol.provider(), settings.keyId(), stream());
  }
}
