package io.tickrelay.protocol;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
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

  /**
   * {@code [{"T":"x-resumed",...}]}: every journaled message after {@code from - 1} was replayed;
   * {@code gaps} counts the {@code x-gap} markers among them (0: nothing is missing).
   */
  public static byte[] resumed(
      WireFormat format, String epoch, long from, long to, int count, int gaps) {
    MessageWriter w = writer(format);
    w.arrayHeader(1);
    w.mapHeader(6);
    w.field("T", "x-resumed");
    w.field("epoch", epoch);
    w.integerField("from", from);
    w.integerField("to", to);
    w.integerField("count", count);
    w.integerField("gaps", gaps);
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

  /**
   * One side of a gap in the stream (docs/PROTOCOL.md, "Gap markers"): {@code open} where data
   * stopped, {@code closed} where it flows again, naming the window and what it covered.
   *
   * @param opened the {@code x-seq} of the matching open marker; 0 on an open marker, or on a closed
   *     one whose window began before anything the stream holds
   * @param from when data stopped; null when not known (never held since the gateway started)
   * @param to when data flowed again; null on an open marker
   * @param resumed on a closed marker: what flows live again
   * @param backfilled on a closed marker: what was recovered from the provider's history
   * @param lost on a closed marker: what of the window is missing for good
   */
  public record Gap(
      String state,
      long opened,
      String stream,
      String feed,
      String reason,
      Instant from,
      Instant to,
      Interest covers,
      Interest resumed,
      Interest backfilled,
      Interest lost) {

    public boolean open() {
      return "open".equals(state);
    }
  }

  /**
   * {@code {"T":"x-gap",...,"x-seq":N}}: one side of a gap, always sequenced; a data message like
   * {@link #event}, so without the frame's array, which the outbox adds.
   */
  public static byte[] gap(WireFormat format, Gap gap, long seq) {
    boolean closed = !gap.open();
    int fields = 6 + (gap.from() != null ? 1 : 0) + (closed ? 5 : 0) + (gap.feed() != null ? 1 : 0);
    MessageWriter w = writer(format);
    w.mapHeader(fields);
    w.field("T", "x-gap");
    w.field("state", gap.state());
    if (closed) {
      w.integerField("opened", gap.opened());
    }
    w.field("stream", gap.stream());
    if (gap.feed() != null) {
      w.field("feed", gap.feed());
    }
    w.field("reason", gap.reason());
    if (gap.from() != null) {
      w.timeField("from", gap.from());
    }
    if (closed) {
      w.timeField("to", gap.to());
    }
    interest(w, "covers", gap.covers());
    if (closed) {
      interest(w, "resumed", gap.resumed());
      interest(w, "backfilled", gap.backfilled());
      interest(w, "lost", gap.lost());
    }
    w.integerField("x-seq", seq);
    w.endMap();
    return w.toBytes();
  }

  /** An interest as Alpaca's subscription shape: channel name to symbols, empty channels left out. */
  private static void interest(MessageWriter w, String key, Interest interest) {
    w.key(key);
    w.mapHeader(interest.channels().size());
    for (Channel channel : Channel.values()) {
      if (interest.channels().contains(channel)) {
        w.strings(channel.wireName(), interest.symbols(channel), interest.symbols(channel).size());
      }
    }
    w.endMap();
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
