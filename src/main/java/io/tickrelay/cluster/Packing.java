package io.tickrelay.cluster;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The msgpack pieces the log codec is built from: nullable strings and instants, string lists, and
 * the loosely typed values of a passed-through message, each read back as exactly the Java type
 * written (a {@link BigInteger} stays one even when it would fit a long).
 */
final class Packing {

  /** An application extension type (msgpack spec: 0..127 are the application's) for BigInteger. */
  private static final byte BIG_INTEGER = 1;

  private Packing() {}

  static void string(MessagePacker out, String value) throws IOException {
    if (value == null) {
      out.packNil();
    } else {
      out.packString(value);
    }
  }

  static String string(MessageUnpacker in) throws IOException {
    return in.tryUnpackNil() ? null : in.unpackString();
  }

  /** The timestamp extension (type -1), nanoseconds and pre-1970 instants kept. */
  static void instant(MessagePacker out, Instant value) throws IOException {
    if (value == null) {
      out.packNil();
    } else {
      out.packTimestamp(value);
    }
  }

  static Instant instant(MessageUnpacker in) throws IOException {
    return in.tryUnpackNil() ? null : in.unpackTimestamp();
  }

  static void strings(MessagePacker out, List<String> values) throws IOException {
    out.packArrayHeader(values.size());
    for (String value : values) {
      string(out, value);
    }
  }

  static List<String> strings(MessageUnpacker in) throws IOException {
    int size = in.unpackArrayHeader();
    List<String> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(string(in));
    }
    return values;
  }

  /** A passed-through value: String, Long, BigInteger, Double, Boolean, null, Instant, List, Map. */
  static void value(MessagePacker out, Object value) throws IOException {
    if (value == null) {
      out.packNil();
    } else if (value instanceof String s) {
      out.packString(s);
    } else if (value instanceof Long l) {
      out.packLong(l);
    } else if (value instanceof Double d) {
      out.packDouble(d);
    } else if (value instanceof Boolean b) {
      out.packBoolean(b);
    } else if (value instanceof Instant t) {
      out.packTimestamp(t);
    } else if (value instanceof BigInteger big) {
      byte[] bytes = big.toByteArray();
      out.packExtensionTypeHeader(BIG_INTEGER, bytes.length);
      out.writePayload(bytes);
    } else if (value instanceof List<?> list) {
      out.packArrayHeader(list.size());
      for (Object item : list) {
        value(out, item);
      }
    } else if (value instanceof Map<?, ?> map) {
      out.packMapHeader(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        value(out, entry.getKey());
        value(out, entry.getValue());
      }
    } else {
      // PassThrough documents the types above; anything else is a bug upstream of the log
      throw new IllegalArgumentException("cannot log a value of type " + value.getClass().getName());
    }
  }

  static Object value(MessageUnpacker in) throws IOException {
    MessageFormat format = in.getNextFormat();
    switch (format.getValueType()) {
      case NIL:
        in.unpackNil();
        return null;
      case STRING:
        return in.unpackString();
      case INTEGER:
        return in.unpackLong();
      case FLOAT:
        return in.unpackDouble();
      case BOOLEAN:
        return in.unpackBoolean();
      case ARRAY: {
        int size = in.unpackArrayHeader();
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(value(in));
        }
        return Collections.unmodifiableList(list);
      }
      case MAP: {
        int size = in.unpackMapHeader();
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          map.put(value(in), value(in));
        }
        return Collections.unmodifiableMap(map);
      }
      case EXTENSION: {
        ExtensionTypeHeader ext = in.unpackExtensionTypeHeader();
        if (ext.isTimestampType()) {
          return in.unpackTimestamp(ext);
        }
        if (ext.getType() == BIG_INTEGER) {
          return new BigInteger(in.readPayload(ext.getLength()));
        }
        throw new IOException("unknown extension type " + ext.getType());
      }
      default:
        throw new IOException("unexpected " + format + " in a passed-through value");
    }
  }
}
