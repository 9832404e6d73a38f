package io.tickrelay.protocol;

import io.tickrelay.marketdata.PassThrough;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data messages of a type the gateway does not model, read into a {@link PassThrough} and written
 * back with the same fields in the same order: {@code T} first, {@code x-seq} last when asked.
 * Integers stay integers (beyond 64 bits too, in JSON), decimals stay decimals, and a {@code t}
 * that is an RFC-3339 timestamp keeps its text in JSON and becomes the timestamp extension in
 * msgpack, as Alpaca sends every timestamp (upstream-protocols.md §1.2).
 */
final class PassThroughMessages {

  private PassThroughMessages() {}

  static PassThrough read(String type, Map<?, ?> element) {
    Map<String, Object> fields = new LinkedHashMap<>();
    element.forEach((k, v) -> {
      if (!"T".equals(k)) {
        fields.put(String.valueOf(k), v);
      }
    });
    Object symbol = fields.get("S");
    return new PassThrough(
        type, symbol instanceof String s ? s : "", timestamp(fields.get("t")), fields);
  }

  private static Instant timestamp(Object t) {
    if (t instanceof Instant instant) {
      return instant;
    }
    if (t instanceof String text) {
      try {
        return TreeValues.instant(text);
      } catch (RuntimeException notATimestamp) {
        return null; // an ordinary string then, relayed as one
      }
    }
    return null;
  }

  static void write(MessageWriter w, PassThrough event, long seq) {
    w.mapHeader(1 + event.fields().size() + (seq >= 0 ? 1 : 0));
    w.field("T", event.type());
    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
      w.key(field.getKey());
      if (field.getKey().equals("t") && field.getValue() instanceof String text
          && event.timestamp() != null) {
        w.timestamp(event.timestamp(), text);
      } else {
        value(w, field.getValue());
      }
    }
    Messages.writeSeq(w, seq);
    w.endMap();
  }

  /** A decoded wire value, as the decoders of either format produce them. */
  private static void value(MessageWriter w, Object value) {
    if (value == null) {
      w.nil();
    } else if (value instanceof String s) {
      w.string(s);
    } else if (value instanceof Long l) {
      w.integer(l);
    } else if (value instanceof Double d) {
      w.decimal(d);
    } else if (value instanceof BigInteger b) {
      w.bigInteger(b);
    } else if (value instanceof Boolean b) {
      w.bool(b);
    } else if (value instanceof Instant i) {
      w.timestamp(i);
    } else if (value instanceof List<?> list) {
      w.arrayHeader(list.size());
      for (Object element : list) {
        value(w, element);
      }
      w.endArray();
    } else if (value instanceof Map<?, ?> map) {
      w.mapHeader(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        w.key(String.valueOf(entry.getKey()));
        value(w, entry.getValue());
      }
      w.endMap();
    } else {
      w.string(String.valueOf(value)); // no decoder produces another type
    }
  }
}
