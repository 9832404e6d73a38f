package io.tickrelay.upstream;

/** An upstream frame an {@link UpstreamProtocol} cannot decode; the connection logs and skips it. */
public final class UnreadableFrame extends Exception {

  public UnreadableFrame(String message) {
    super(message);
  }

  public UnreadableFrame(String message, Throwable cause) {
    super(message, cause);
  }
}
