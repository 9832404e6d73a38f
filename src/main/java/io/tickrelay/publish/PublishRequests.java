package io.tickrelay.publish;

import io.tickrelay.config.Credential;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Published;
import io.tickrelay.marketdata.Streams;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One publish request from headers to stream: every check (credentials, channel, media type,
 * size, JSON, rate) runs before the events are handed on, all in one batch, so a refused request
 * publishes nothing. Kept free of the JAX-RS runtime so it is tested as it is.
 */
final class PublishRequests {

  /** How much of a too-large body is read and dropped, in multiples of the limit. */
  static final int DRAIN_FACTOR = 16;

  /** The feed name on {@link MarketDataReceived}: published events come from no upstream feed. */
  static final String FEED = "internal";

  private final Publishers publishers;
  private final int maxBytes;
  private final Clock clock;
  private final Consumer<MarketDataReceived> stream;

  PublishRequests(Publishers publishers, int maxBytes, Clock clock, Consumer<MarketDataReceived> stream) {
    this.publishers = publishers;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.stream = stream;
  }

  /**
   * Checks what was sent from {@code address} (null when unknown) and publishes it;
   * {@code contentLength} is -1 when not declared.
   */
  Accepted publish(
      String channel, String address, Function<String, String> header, MediaType type,
      long contentLength, InputStream body) throws PublishRefused {
    Credential publisher = publishers.authenticate(PublisherAuth.from(header), address);
    try {
      Payloads.checkChannel(channel);
      Publishers.checkAllowed(publisher, channel);
      checkMediaType(type);
      List<String> payloads = Payloads.events(read(body, contentLength));
      publishers.admit(publisher, payloads.size());
      Instant now = clock.instant();
      List<MarketEvent> events = new ArrayList<>(payloads.size());
      for (String json : payloads) {
        events.add(new Published(channel, publisher.key(), json, now));
      }
      stream.accept(new MarketDataReceived(Streams.PUBLISHED, FEED, events));
      return new Accepted(publisher.key(), channel, events.size());
    } catch (PublishRefused refused) {
      throw refused.by(publisher.key());
    }
  }

  /** What a request published. */
  record Accepted(String publisher, String channel, int events) {}

  private static void checkMediaType(MediaType type) throws PublishRefused {
    boolean json = type != null
        && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
        && !type.isWildcardType()
        && !type.isWildcardSubtype();
    String charset = json ? type.getParameters().get(MediaType.CHARSET_PARAMETER) : null;
    if (!json || (charset != null && !charset.equalsIgnoreCase("utf-8"))) {
      throw new PublishRefused(415, "Content-Type must be application/json (UTF-8)");
    }
  }

  /**
   * At most {@code maxBytes}, judged by Content-Length first and by what actually arrives. A body
   * that is too large is still read to its end (up to {@link #DRAIN_FACTOR} times the limit) and
   * dropped before the 413 goes out: a client still sending would otherwise wait on a full TCP
   * window for an answer the server will not write (seen on Payara Micro: the request timed out).
   */
  private byte[] read(InputStream body, long contentLength) throws PublishRefused {
    if (contentLength > maxBytes) {
      drain(body);
      throw tooLarge();
    }
    try {
      byte[] bytes = body.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        drain(body);
        throw tooLarge();
      }
      return bytes;
    } catch (IOException broken) {
      throw new PublishRefused(400, "request body could not be read");
    }
  }

  /** Reads and drops the rest of a refused body, bounded so a huge upload cannot hold a thread. */
  private void drain(InputStream body) {
    long budget = (long) maxBytes * DRAIN_FACTOR;
    byte[] sink = new byte[8192];
    try {
      int n;
      while (budget > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, budget))) > 0) {
        budget -= n;
      }
    } catch (IOException broken) { // the client went away; the 413 is all that is left to say
      java.util.logging.Logger.getLogger(PublishRequests.class.getName())
          .fine(() -> "draining a refused body failed: " + broken.getMessage());
    }
  }

  private PublishRefused tooLarge() {
    return new PublishRefused(413, "body larger than " + maxBytes + " bytes");
  }
}
