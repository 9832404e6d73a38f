package io.tickrelay.distribution;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * msgpack as an official Alpaca SDK writes and reads it, with msgpack-core directly rather than
 * the gateway's codecs: maps of strings, and frames decoded keeping key order and ext types.
 */
final class SdkMsgpack {

  private SdkMsgpack() {}

  /** A map of string keys to strings or string lists, as the SDKs pack auth and subscribe. */
  static byte[] pack(Map<String, Object> message) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(message.size());
      for (Map.Entry<String, Object> entry : message.entrySet()) {
        packer.packString(entry.getKey());
        if (entry.getValue() instanceof List<?> list) {
          packer.packArrayHeader(list.size());
          for (Object item : list) {
            packer.packString((String) item);
          }
        } else {
          packer.packString((String) entry.getValue());
        }
      }
      return packer.toByteArray();
    }
  }

  /** A server frame: an array of maps, each kept in wire order, values as msgpack values. */
  static List<Map<String, Value>> frame(byte[] bytes) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      Value frame = unpacker.unpackValue();
      List<Map<String, Value>> messages = new ArrayList<>();
      for (Value element : frame.asArrayValue()) {
        Value[] kv = element.asMapValue().getKeyValueArray();
        Map<String, Value> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
          map.put(kv[i].asStringValue().asString(), kv[i + 1]);
        }
        messages.add(map);
      }
      return messages;
    }
  }

  static boolean hasType(byte[] bytes, String type) {
    try {
      return frame(bytes).stream().anyMatch(m -> m.get("T").asStringValue().asString().equals(type));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
