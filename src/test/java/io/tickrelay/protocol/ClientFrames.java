package io.tickrelay.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Builds client frames the way a third-party client would, independently of the codecs under test:
 * the same message tree as JSON text or as msgpack (through msgpack-core's packer).
 */
final class ClientFrames {

  private ClientFrames() {}

  /** An ordered map from alternating keys and values. */
  static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static byte[] encode(WireFormat format, Object tree) {
    return format == WireFormat.JSON ? json(tree).getBytes(StandardCharsets.UTF_8) : msgpack(tree);
  }

  static String json(Object tree) {
    StringBuilder out = new StringBuilder();
    writeJson(out, tree);
    return out.toString();
  }

  static byte[] msgpack(Object tree) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      writeMsgpack(packer, tree);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeJson(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      String separator = "";
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(separator);
        writeJson(out, entry.getKey());
        out.append(':');
        writeJson(out, entry.getValue());
        separator = ",";
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        writeJson(out, list.get(i));
      }
      out.append(']');
    } else {
      out.append(value); // numbers and booleans
    }
  }

  private static void writeMsgpack(MessageBufferPacker packer, Object value) throws IOException {
    if (value == null) {
      packer.packNil();
    } else if (value instanceof String s) {
      packer.packString(s);
    } else if (value instanceof Map<?, ?> map) {
      packer.packMapHeader(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        writeMsgpack(packer, entry.getKey());
        writeMsgpack(packer, entry.getValue());
      }
    } else if (value instanceof List<?> list) {
      packer.packArrayHeader(list.size());
      for (Object element : list) {
        writeMsgpack(packer, element);
      }
    } else if (value instanceof Integer || value instanceof Long) {
      packer.packLong(((Number) value).longValue());
    } else if (value instanceof Double d) {
      packer.packDouble(d);
    } else if (value instanceof Boolean b) {
      packer.packBoolean(b);
    } else {
      throw new IllegalArgumentException("no msgpack form for " + value.getClass());
    }
  }
}
