package io.tickrelay.cluster;

import static io.tickrelay.cluster.Packing.instant;
import static io.tickrelay.cluster.Packing.string;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.FeedSelected;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketDataRecovered;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.UpstreamInterrupted;
import io.tickrelay.marketdata.UpstreamRestored;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * One log entry's payload in binary: what the owner of an upstream fires for a stream (a batch of
 * {@link MarketDataReceived}, a {@link MarketDataRecovered} backfill, the outage pair
 * {@link UpstreamInterrupted}/{@link UpstreamRestored}, a {@link FeedSelected}) as one format byte
 * followed by msgpack, read back into equal records on every node.
 *
 * <p>The first byte is the format version. A node meeting a version it does not know (a newer
 * node wrote it during a rolling upgrade) gets an {@link UnreadableEntry}, never a crash, and the
 * reader reports the entry as a gap; so a format change ships readers first, writers second.
 */
public final class EventCodec {

  /** The format this node writes and the newest it reads. */
  public static final int FORMAT = 1;

  /** What {@link #encode} accepts and {@link #decode} returns. */
  public static final Set<Class<?>> PAYLOADS = Set.of(MarketDataReceived.class,
      MarketDataRecovered.class, UpstreamInterrupted.class, UpstreamRestored.class,
      FeedSelected.class);

  private static final int RECEIVED = 1;
  private static final int RECOVERED = 2;
  private static final int INTERRUPTED = 3;
  private static final int RESTORED = 4;
  private static final int FEED_SELECTED = 5;

  private EventCodec() {}

  /** @throws IllegalArgumentException for a type not in {@link #PAYLOADS} */
  public static byte[] encode(Object payload) {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      out.writePayload(new byte[] {FORMAT});
      write(out, payload);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("msgpack into memory failed", e);
    }
  }

  /** @throws UnreadableEntry for an unknown format or bytes that are not a payload of it */
  public static Object decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new UnreadableEntry("an empty entry");
    }
    int format = bytes[0] & 0xff;
    if (format != FORMAT) {
      throw new UnreadableEntry("log format " + format + ", this node reads format " + FORMAT);
    }
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes, 1, bytes.length - 1)) {
      Object payload = read(in);
      if (in.hasNext()) {
        throw new IOException("bytes after the payload");
      }
      return payload;
    } catch (IOException | RuntimeException e) {
      // RuntimeException: msgpack's own (type mismatches, truncation) and a record's checks
      throw new UnreadableEntry("log format " + format + ": " + e.getMessage());
    }
  }

  private static void write(MessagePacker out, Object payload) throws IOException {
    if (payload instanceof MarketDataReceived m) {
      out.packInt(RECEIVED);
      string(out, m.stream());
      string(out, m.feed());
      events(out, m.events());
    } else if (payload instanceof MarketDataRecovered m) {
      out.packInt(RECOVERED);
      string(out, m.stream());
      events(out, m.events());
    } else if (payload instanceof UpstreamInterrupted u) {
      out.packInt(INTERRUPTED);
      string(out, u.stream());
      string(out, u.connection());
      string(out, u.feed());
      instant(out, u.since());
      string(out, u.reason());
      interest(out, u.interest());
    } else if (payload instanceof UpstreamRestored u) {
      out.packInt(RESTORED);
      string(out, u.stream());
      string(out, u.connection());
      string(out, u.feed());
      instant(out, u.interruptedAt());
      instant(out, u.restoredAt());
      interest(out, u.interrupted());
      interest(out, u.restored());
    } else if (payload instanceof FeedSelected f) {
      out.packInt(FEED_SELECTED);
      string(out, f.stream());
      string(out, f.connection());
      string(out, f.feed());
      string(out, f.reason());
      instant(out, f.at());
    } else {
      throw new IllegalArgumentException("no log encoding for "
          + (payload == null ? "null" : payload.getClass().getName()));
    }
  }

  private static Object read(MessageUnpacker in) throws IOException {
    int tag = in.unpackInt();
    switch (tag) {
      case RECEIVED:
        return new MarketDataReceived(string(in), string(in), events(in));
      case RECOVERED:
        return new MarketDataRecovered(string(in), events(in));
      case INTERRUPTED:
        return new UpstreamInterrupted(string(in), string(in), string(in), instant(in),
            string(in), interest(in));
      case RESTORED:
        return new UpstreamRestored(string(in), string(in), string(in), instant(in), instant(in),
            interest(in), interest(in));
      case FEED_SELECTED:
        return new FeedSelected(string(in), string(in), string(in), string(in), instant(in));
      default:
        throw new IOException("unknown payload type " + tag);
    }
  }

  private static void events(MessagePacker out, List<MarketEvent> events) throws IOException {
    out.packArrayHeader(events.size());
    for (MarketEvent event : events) {
      EventPacking.write(out, event);
    }
  }

  private static List<MarketEvent> events(MessageUnpacker in) throws IOException {
    int size = in.unpackArrayHeader();
    List<MarketEvent> events = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      events.add(EventPacking.read(in));
    }
    return events;
  }

  // by the channel's enum name, not its ordinal, so a channel added later keeps the others' codes
  private static void interest(MessagePacker out, Interest interest) throws IOException {
    if (interest == null) {
      out.packNil();
      return;
    }
    out.packMapHeader(interest.channels().size());
    for (Channel channel : interest.channels()) {
      out.packString(channel.name());
      Packing.strings(out, List.copyOf(interest.symbols(channel)));
    }
  }

  private static Interest interest(MessageUnpacker in) throws IOException {
    if (in.tryUnpackNil()) {
      return null;
    }
    int size = in.unpackMapHeader();
    Map<Channel, List<String>> symbols = new EnumMap<>(Channel.class);
    for (int i = 0; i < size; i++) {
      symbols.put(Channel.valueOf(in.unpackString()), Packing.strings(in));
    }
    return Interest.of(symbols);
  }
}
