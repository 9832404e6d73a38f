package io.tickrelay.protocol;

import io.tickrelay.marketdata.MarketEvent;
import java.time.Instant;

/**
 * The gateway's own additions to Alpaca's protocol (docs/PROTOCOL.md, "Gateway extensions"):
 * opt-in messages whose type starts with {@code x-}, so plain Alpaca clients never see them, in
 * either wire format and with {@code T} first like every other message.
 */
public final class GatewayMessages {

  /** The code and message a control-message flood is answered with; Alpaca has none for it. */
  public static final int TOO_MANY_REQUESTS = 429;

  public static final String TOO_MANY_REQUESTS_MSG = "too many requests";

  private GatewayMessages() {}

  /** A data message carrying its stream sequence number as {@code x-seq}. */
  public static byte[] event(WireFormat format, MarketEvent event, long seq) {
    MessageWriter w = writer(format);
    Messages.writeEvent(w, event, seq);
    return w.toBytes();
  }

  /** {@code [{"T":"x-options",...}]}: the options now in force, and the stream's epoch. */
  public static byte[] options(WireFormat format, ClientMessage.Options options, String epoch) {
    MessageWriter w = writer(format);
    w.arrayHeader(1);
    w.mapHeader(6);
    w.field("T", "x-options");
    w.key("lastValue");
    w.bool(options.lastValue());
    w.key("sequence");
    w.bool(options.sequence());
    w.integerField("maxPerSecond", options.maxPerSecond());
    w.key("feedNotices");
    w.bool(options.feedNotices());
    w.field("epoch", epoch);
    w.endMap();
    w.endArray();
    return w.toBytes();
  }

  /** {@code [{"T":"x-feed","feed":...,"reason":...,"at":...}]}: the active upstream feed. */
  public static byte[] feed(WireFormat format, String feed, String reason, Instant at) {
    MessageWriter w = writer(format);
    w.arrayHeader(1);
    w.mapHeader(4);
    w.field("T", "x-feed");
    w.field("feed", feed);
    w.field("reason", reason);
    w.timeField("at", at);
    w.endMap();
    w.endArray();
    return w.toBytes();
  }

  /** {@code [{"T":"x-resumed",...}]}: every journaled message after {@code from - 1} was replayed. */
  public static byte[] resumed(WireFormat format, String epoch, long from, long to, int count) {
    MessageWriter w = writer(format);
    w.arrayHeader(1);
    w.mapHeader(5);
    w.field("T", "x-resumed");
    w.field("epoch", epoch);
    w.integerField("from", from);
    w.integerField("to", to);
    w.integerField("count", count);
    w.endMap();
    w.endArray();
    return w.toBytes();
  }

  /** {@code [{"T":"x-unrecoverable",...}]}: the gap cannot be filled; nothing was replayed. */
  public static byte[] unrecoverable(
      WireFormat format, String epoch, long seq, long oldest, long head, String reason) {
    MessageWriter w = writer(format);
    w.arrayHeader(1);
    w.mapHeader(6);
    w.field("T", "x-unrecoverable");
    w.field("epoch", epoch);
    w.integerField("seq", seq);
    w.integerField("oldest", oldest);
    w.integerField("head", head);
    w.field("reason", reason);
    w.endMap();
    w.endArray();
    return w.toBytes();
  }

  /** An error in Alpaca's shape with a code Alpaca does not define (429 for floods). */
  public static byte[] error(WireFormat format, int code, String msg) {
    MessageWriter w = writer(format);
    w.arrayHeader(1);
    w.mapHeader(3);
    w.field("T", "error");
    w.integerField("code", code);
    w.field("msg", msg);
    w.endMap();
    w.endArray();
    return w.toBytes();
  }

  /** A client frame in either format, extensions included; JSON text arrives as UTF-8 bytes. */
  public static ClientMessage decode(String text) throws ProtocolException {
    return Messages.readGatewayClient(JsonCodec.INSTANCE.parse(text));
  }

  public static ClientMessage decode(byte[] msgpack) throws ProtocolException {
    return Messages.readGatewayClient(MsgpackCodec.parse(msgpack));
  }

  private static MessageWriter writer(WireFormat format) {
    return format == WireFormat.MSGPACK ? new MsgpackWriter() : new JsonWriter();
  }
}
