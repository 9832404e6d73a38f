package io.tickrelay.upstream;

import java.nio.charset.StandardCharsets;

/** One WebSocket data frame the gateway sends upstream: text (JSON) or binary (msgpack). */
public sealed interface Frame {

  record Text(String text) implements Frame {}

  record Binary(byte[] bytes) implements Frame {}

  static Frame text(String text) {
    return new Text(text);
  }

  /** A text frame from UTF-8 bytes, as the codecs produce them. */
  static Frame text(byte[] utf8) {
    return new Text(new String(utf8, StandardCharsets.UTF_8));
  }

  static Frame binary(byte[] bytes) {
    return new Binary(bytes);
  }

  /** Size for logs and counters. */
  default int length() {
    return this instanceof Text t ? t.text().length() : ((Binary) this).bytes().length;
  }
}
