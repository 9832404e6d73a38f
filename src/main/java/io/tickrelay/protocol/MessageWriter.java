package io.tickrelay.protocol;

import java.math.BigInteger;
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

  /**
   * A timestamp that arrived as the RFC-3339 text {@code asSent}: JSON keeps the text as it was,
   * msgpack writes the timestamp extension, as Alpaca does in each format (upstream-protocols.md §1.2).
   */
  default void timestamp(Instant value, String asSent) {
    timestamp(value);
  }

  void nil();

  /** A number that was sent with a fraction or exponent: stays one in JSON ({@code 100.0}). */
  default void decimal(double value) {
    number(value);
  }

  /** An integer beyond 64 bits signed: exact in JSON, uint64 or else float64 in msgpack. */
  void bigInteger(BigInteger value);

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
