package io.tickrelay.protocol;

import io.tickrelay.marketdata.PassThrough;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data messages of a type the gateway does not model, read into a {@link PassThrough} and written
 * back with the same fields in the same order: {@code T} first, {@code x-seq} last when asked.
 * Integers stay integers (beyond 64 bits too, in JSON), decimals stay decimals, and a {@code t}
 * that is an RFC-3339 timestamp keeps its text in JSON and becomes the timestamp extension in
 * msgpack, as Alpaca sends every timestamp (upstream-protocols.md §1.2). A message nested deeper
 * than {@link #MAX_DEPTH} is refused when read ({@link ServerMessage.TooDeep}); the writer takes
 * any depth.
 */
final class PassThroughMessages {

  /** See {@link ServerMessage#MAX_PASS_THROUGH_DEPTH}. */
  static final int MAX_DEPTH = ServerMessage.MAX_PASS_THROUGH_DEPTH;

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

  /**
   * Whether {@code value} has more than {@code levels} levels of objects and arrays. Looks no
   * deeper than that, so it recurses at most {@code levels + 1} calls deep.
   */
  static boolean deeperThan(Object value, int levels) {
    Iterable<?> children;
    if (value instanceof Map<?, ?> map) {
      children = map.values();
    } else if (value instanceof List<?> list) {
      children = list;
    } else {
      return false;
    }
    if (levels == 0) {
      return true;
    }
    for (Object child : children) {
      if (deeperThan(child, levels - 1)) {
        return true;
      }
    }
    return false;
  }

  /** An open object or array being written: what is left of it. */
  private record Open(Iterator<?> rest, boolean map) {}

  /**
   * A decoded wire value, as the decoders of either format produce them. Written without
   * recursion, so no depth it is given can overflow the fan-out thread's stack; upstream values
   * are already capped at {@link #MAX_DEPTH} when read.
   */
  private static void value(MessageWriter w, Object value) {
    Deque<Open> open = null;
    Object next = value;
    while (true) {
      if (next instanceof List<?> list) {
        w.arrayHeader(list.size());
        open = open != null ? open : new ArrayDeque<>();
        open.push(new Open(list.iterator(), false));
      } else if (next instanceof Map<?, ?> map) {
        w.mapHeader(map.size());
        open = open != null ? open : new ArrayDeque<>();
        open.push(new Open(map.entrySet().iterator(), true));
      } else {
        scalar(w, next);
      }
      next = null;
      while (true) { // the next value to write, closing what is finished
        Open top = open == null ? null : open.peek();
        if (top == null) {
          return;
        }
        if (top.rest().hasNext()) {
          next = top.rest().next();
          if (top.map()) {
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) next;
            w.key(String.valueOf(entry.getKey()));
            next = entry.getValue();
          }
          break;
        }
        open.pop();
        if (top.map()) {
          w.endMap();
        } else {
          w.endArray();
        }
      }
    }
  }

  private static void scalar(MessageWriter w, Object value) {
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
    } else {
      w.string(String.valueOf(value)); // no decoder produces another type
    }
  }
}
