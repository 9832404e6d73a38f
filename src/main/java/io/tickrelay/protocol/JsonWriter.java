package io.tickrelay.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** Writes JSON text with Alpaca's conventions: RFC-3339 timestamps, integral numbers unadorned. */
final class JsonWriter implements MessageWriter {

  private final StringBuilder out = new StringBuilder(128);
  /** Per open object or array, whether the next value needs a comma; grows with the nesting. */
  private boolean[] needComma = new boolean[16];
  private int depth;
  private boolean afterKey;

  private void beforeValue() {
    if (afterKey) {
      afterKey = false;
    } else {
      if (needComma[depth]) {
        out.append(',');
      }
      needComma[depth] = true;
    }
  }

  private void open(char c) {
    beforeValue();
    out.append(c);
    if (++depth == needComma.length) {
      needComma = Arrays.copyOf(needComma, depth * 2);
    }
    needComma[depth] = false;
  }

  @Override
  public void mapHeader(int size) {
    open('{');
  }

  @Override
  public void endMap() {
    depth--;
    out.append('}');
  }

  @Override
  public void arrayHeader(int size) {
    open('[');
  }

  @Override
  public void endArray() {
    depth--;
    out.append(']');
  }

  @Override
  public void key(String key) {
    if (needComma[depth]) {
      out.append(',');
    }
    needComma[depth] = true;
    quote(key);
    out.append(':');
    afterKey = true;
  }

  @Override
  public void string(String value) {
    beforeValue();
    quote(value);
  }

  @Override
  public void number(double value) {
    beforeValue();
    appendNumber(out, value);
  }

  @Override
  public void integer(long value) {
    beforeValue();
    out.append(value);
  }

  @Override
  public void bool(boolean value) {
    beforeValue();
    out.append(value);
  }

  @Override
  public void timestamp(Instant value) {
    beforeValue();
    // Instant.toString is RFC 3339 in UTC with only as many fraction digits as needed, as Alpaca sends.
    out.append('"').append(value).append('"');
  }

  @Override
  public void timestamp(Instant value, String asSent) {
    string(asSent);
  }

  @Override
  public void nil() {
    beforeValue();
    out.append("null");
  }

  @Override
  public void decimal(double value) {
    beforeValue();
    // Double.toString keeps a fraction or an exponent, both valid JSON; JSON has no NaN
    out.append(Double.isFinite(value) ? Double.toString(value) : "0");
  }

  @Override
  public void bigInteger(BigInteger value) {
    beforeValue();
    out.append(value);
  }

  @Override
  public void json(String json) {
    beforeValue();
    out.append(json);
  }

  /** Raw, already encoded JSON (an element of a data frame). */
  void raw(byte[] json) {
    beforeValue();
    out.append(new String(json, StandardCharsets.UTF_8));
  }

  @Override
  public byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void appendNumber(StringBuilder out, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append('0'); // JSON has no NaN; a data source that produces one is broken, not the client
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
  }

  private void quote(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
