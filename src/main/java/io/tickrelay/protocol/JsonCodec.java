package io.tickrelay.protocol;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/** Alpaca messages as JSON text frames. */
public final class JsonCodec implements WireCodec {

  static final JsonCodec INSTANCE = new JsonCodec();

  // JsonProvider.provider() runs a service lookup on every call; resolve it once.
  private final JsonProvider json = JsonProvider.provider();

  private JsonCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.JSON;
  }

  @Override
  public byte[] event(MarketEvent event) {
    JsonWriter w = new JsonWriter();
    Messages.writeEvent(w, event);
    return w.toBytes();
  }

  @Override
  public byte[] frame(List<byte[]> encodedEvents) {
    int length = 2 + encodedEvents.size();
    for (byte[] e : encodedEvents) {
      length += e.length;
    }
    byte[] frame = new byte[length];
    frame[0] = '[';
    int at = 1;
    for (int i = 0; i < encodedEvents.size(); i++) {
      if (i > 0) {
        frame[at++] = ',';
      }
      byte[] e = encodedEvents.get(i);
      System.arraycopy(e, 0, frame, at, e.length);
      at += e.length;
    }
    frame[at++] = ']';
    return at == length ? frame : java.util.Arrays.copyOf(frame, at);
  }

  @Override
  public byte[] success(String msg) {
    JsonWriter w = new JsonWriter();
    Messages.writeSuccess(w, msg);
    return w.toBytes();
  }

  @Override
  public byte[] error(AlpacaError error) {
    JsonWriter w = new JsonWriter();
    Messages.writeError(w, error);
    return w.toBytes();
  }

  @Override
  public byte[] subscription(Interest interest, AssetClass assetClass) {
    JsonWriter w = new JsonWriter();
    Messages.writeSubscription(w, interest, assetClass);
    return w.toBytes();
  }

  @Override
  public byte[] subscription(Interest interest, Set<Channel> keys) {
    JsonWriter w = new JsonWriter();
    Messages.writeSubscription(w, interest, keys);
    return w.toBytes();
  }

  @Override
  public byte[] auth(String key, String secret) {
    JsonWriter w = new JsonWriter();
    Messages.writeAuth(w, key, secret);
    return w.toBytes();
  }

  @Override
  public byte[] subscriptionRequest(boolean subscribe, Interest interest) {
    JsonWriter w = new JsonWriter();
    Messages.writeSubscriptionRequest(w, subscribe, interest);
    return w.toBytes();
  }

  @Override
  public ClientMessage decodeClient(byte[] frame) throws ProtocolException {
    return decodeClient(new String(frame, StandardCharsets.UTF_8));
  }

  public ClientMessage decodeClient(String text) throws ProtocolException {
    return Messages.readClient(parse(text));
  }

  @Override
  public List<ServerMessage> decodeServer(byte[] frame, AssetClass assetClass)
      throws ProtocolException {
    return decodeServer(new String(frame, StandardCharsets.UTF_8), assetClass);
  }

  /** A stock frame as text. */
  public List<ServerMessage> decodeServer(String text) throws ProtocolException {
    return decodeServer(text, AssetClass.STOCKS);
  }

  public List<ServerMessage> decodeServer(String text, AssetClass assetClass)
      throws ProtocolException {
    return Messages.readServer(parse(text), assetClass);
  }

  Object parse(String text) throws ProtocolException {
    JsonValue value;
    try (JsonReader reader = json.createReader(new StringReader(text))) {
      value = reader.readValue();
    } catch (RuntimeException malformed) {
      // not only JsonException: Parsson throws a bare RuntimeException past 1000 nesting levels and
      // NumberFormatException for an exponent beyond int range (1e-2147483649)
      throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "malformed JSON");
    }
    return toTree(value);
  }

  private static Object toTree(JsonValue value) {
    switch (value.getValueType()) {
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        ((JsonObject) value).forEach((k, v) -> map.put(k, toTree(v)));
        return map;
      case ARRAY:
        List<Object> list = new ArrayList<>();
        for (JsonValue v : (JsonArray) value) {
          list.add(toTree(v));
        }
        return list;
      case STRING:
        return ((JsonString) value).getString();
      case NUMBER:
        JsonNumber number = (JsonNumber) value;
        if (!number.isIntegral()) {
          return number.doubleValue();
        }
        try {
          return number.longValueExact();
        } catch (ArithmeticException beyond64Bits) {
          // longValue() would keep only the low 64 bits; a relayed message must not be corrupted
          return number.bigIntegerValue();
        }
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }
}
