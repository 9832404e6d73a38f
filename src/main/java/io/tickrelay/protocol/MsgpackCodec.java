package io.tickrelay.protocol;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketEvent;
import java.io.IOException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/** Alpaca messages as msgpack binary frames, the encoding every official SDK uses by default. */
public final class MsgpackCodec implements WireCodec {

  static final MsgpackCodec INSTANCE = new MsgpackCodec();

  private static final int MAX_DEPTH = 16;

  private MsgpackCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.MSGPACK;
  }

  @Override
  public byte[] event(MarketEvent event) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeEvent(w, event);
    return w.toBytes();
  }

  @Override
  public byte[] frame(List<byte[]> encodedEvents) {
    MsgpackWriter w = new MsgpackWriter();
    w.arrayHeader(encodedEvents.size());
    for (byte[] e : encodedEvents) {
      w.raw(e);
    }
    return w.toBytes();
  }

  @Override
  public byte[] success(String msg) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeSuccess(w, msg);
    return w.toBytes();
  }

  @Override
  public byte[] error(AlpacaError error) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeError(w, error);
    return w.toBytes();
  }

  @Override
  public byte[] subscription(Interest interest, AssetClass assetClass) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeSubscription(w, interest, assetClass);
    return w.toBytes();
  }

  @Override
  public byte[] subscription(Interest interest, Set<Channel> keys) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeSubscription(w, interest, keys);
    return w.toBytes();
  }

  @Override
  public byte[] auth(String key, String secret) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeAuth(w, key, secret);
    return w.toBytes();
  }

  @Override
  public byte[] subscriptionRequest(boolean subscribe, Interest interest) {
    MsgpackWriter w = new MsgpackWriter();
    Messages.writeSubscriptionRequest(w, subscribe, interest);
    return w.toBytes();
  }

  @Override
  public ClientMessage decodeClient(byte[] frame) throws ProtocolException {
    return Messages.readClient(parse(frame));
  }

  @Override
  public List<ServerMessage> decodeServer(byte[] frame, AssetClass assetClass)
      throws ProtocolException {
    return Messages.readServer(parse(frame), assetClass);
  }

  static Object parse(byte[] frame) throws ProtocolException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(frame)) {
      return read(unpacker, frame.length, 0);
    } catch (IOException
        | MessagePackException
        | ClassCastException
        | DateTimeException
        | ArithmeticException malformed) {
      // a 96-bit timestamp's seconds can lie outside Instant's range: DateTimeException or overflow
      throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "malformed msgpack");
    }
  }

  private static Object read(MessageUnpacker in, int frameLength, int depth)
      throws IOException, ProtocolException {
    if (depth > MAX_DEPTH) {
      throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "msgpack nested too deep");
    }
    MessageFormat format = in.getNextFormat();
    switch (format.getValueType()) {
      case MAP:
        int entries = checkedCount(in.unpackMapHeader(), in, frameLength);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
          map.put(String.valueOf(read(in, frameLength, depth + 1)), read(in, frameLength, depth + 1));
        }
        return map;
      case ARRAY:
        int size = checkedCount(in.unpackArrayHeader(), in, frameLength);
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          list.add(read(in, frameLength, depth + 1));
        }
        return list;
      case STRING:
        return in.unpackString();
      case INTEGER:
        if (format == MessageFormat.UINT64) {
          // above 2^63 - 1 unpackLong would throw: keep every digit for a passed-through message
          java.math.BigInteger big = in.unpackBigInteger();
          return big.bitLength() <= 63 ? (Object) big.longValue() : big;
        }
        return in.unpackLong();
      case FLOAT:
        return in.unpackDouble();
      case BOOLEAN:
        return in.unpackBoolean();
      case NIL:
        in.unpackNil();
        return null;
      case EXTENSION:
        ExtensionTypeHeader ext = in.unpackExtensionTypeHeader();
        checkedCount(ext.getLength(), in, frameLength);
        if (ext.isTimestampType()) {
          return in.unpackTimestamp(ext);
        }
        in.readPayload(ext.getLength()); // bounded by the check above
        return null;
      default:
        in.skipValue();
        return null;
    }
  }

  /** Every element takes at least one byte: a header claiming more than the frame holds is a lie. */
  private static int checkedCount(int count, MessageUnpacker in, int frameLength)
      throws ProtocolException {
    if (count < 0 || count > frameLength - in.getTotalReadBytes()) {
      throw new ProtocolException(AlpacaError.INVALID_SYNTAX, "msgpack length beyond frame");
    }
    return count;
  }
}
