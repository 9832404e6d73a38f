package io.tickrelay.protocol;

import java.time.Instant;

/** The few primitives Alpaca messages are made of, written in one wire format. */
interface MessageWriter {

  void mapHeader(int size);

  void endMap();

  void arrayHeader(int size);

  void endArray();

  void key(String key);

  void string(String value);

  void number(double value);

  void integer(long value);

  void bool(boolean value);

  void timestamp(Instant value);

  /** A value given as well-formed JSON text (a published payload): as-is in JSON, converted in msgpack. */
  void json(String json);

  byte[] toBytes();

  default void field(String key, String value) {
    key(key);
    string(value);
  }

  default void field(String key, double value) {
    key(key);
    number(value);
  }

  default void integerField(String key, long value) {
    key(key);
    integer(value);
  }

  default void timeField(String key, Instant value) {
    key(key);
    timestamp(value);
  }

  default void strings(String key, Iterable<String> values, int size) {
    key(key);
    arrayHeader(size);
    for (String value : values) {
      string(value);
    }
    endArray();
  }
}
