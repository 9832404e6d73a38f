package io.tickrelay.protocol;

import io.tickrelay.marketdata.Published;

/**
 * The wire shape of an event from the publish API, {@code x-event} (docs/PROTOCOL.md): kept apart
 * from the Alpaca shapes in {@link Messages} because it is the gateway's own message.
 */
final class PublishedMessages {

  static final String TYPE = "x-event";

  private PublishedMessages() {}

  /** {@code T}, channel, publisher, time, the payload as published; {@code x-seq} last when asked. */
  static void write(MessageWriter w, Published event, long seq) {
    w.mapHeader(seq >= 0 ? 6 : 5);
    w.field("T", TYPE);
    w.field("S", event.channelName());
    w.field("p", event.publisher());
    w.timeField("t", event.timestamp());
    w.key("data");
    w.json(event.json());
    if (seq >= 0) {
      w.integerField("x-seq", seq);
    }
    w.endMap();
  }
}
