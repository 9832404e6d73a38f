package io.tickrelay.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickrelay.config.Credentials;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.Published;
import io.tickrelay.marketdata.Streams;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A publish request from headers to the stream: what is handed on when it is accepted, which
 * check answers first when it is not, and that a refused request hands on nothing.
 */
class PublishRequestsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T22:00:00.123456789Z");
  private static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE;

  private final List<MarketDataReceived> stream = new ArrayList<>();
  private final PublishRequests requests = new PublishRequests(
      new Publishers(Credentials.parse("strat:s3cret:signals,ops:o:*"), 5, () -> 0L,
          PublishersTest.admission(() -> 0L)),
      100,
      Clock.fixed(NOW, ZoneOffset.UTC),
      stream::add);

  private static Function<String, String> basic(String key, String secret) {
    String value = "Basic " + Base64.getEncoder()
        .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return Map.of("Authorization", value)::get;
  }

  private static final Function<String, String> STRAT = basic("strat", "s3cret");

  private static InputStream body(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private PublishRequests.Accepted publish(String channel, Function<String, String> auth,
      MediaType type, String body) throws PublishRefused {
    return requests.publish(channel, "10.0.0.1", auth, type, -1, body(body));
  }

  private int refusal(String channel, Function<String, String> auth, MediaType type, String body) {
    int status = assertThrows(PublishRefused.class, () -> publish(channel, auth, type, body)).status();
    assertEquals(List.of(), stream, "a refused request publishes nothing");
    return status;
  }

  @Test
  void anAcceptedArrayIsOneBatchOfThePublishedStreamInOrder() throws PublishRefused {
    PublishRequests.Accepted accepted =
        publish("signals", STRAT, JSON, "[{\"n\":1},{\"n\":2},{\"n\":3}]");
    assertEquals(new PublishRequests.Accepted("strat", "signals", 3), accepted);
    assertEquals(1, stream.size());
    MarketDataReceived batch = stream.get(0);
    assertEquals(Streams.PUBLISHED, batch.stream());
    assertEquals("internal", batch.feed());
    assertEquals(List.of(
            new Published("signals", "strat", "{\"n\":1}", NOW),
            new Published("signals", "strat", "{\"n\":2}", NOW),
            new Published("signals", "strat", "{\"n\":3}", NOW)),
        batch.events());
  }

  @Test
  void mediaTypeParametersOtherThanUtf8AreRefused() throws PublishRefused {
    publish("signals", STRAT, new MediaType("application", "json", "UTF-8"), "{}");
    assertEquals(1, stream.size());
    stream.clear();
    assertEquals(415, refusal("signals", STRAT, new MediaType("application", "json", "ISO-8859-1"), "{}"));
    assertEquals(415, refusal("signals", STRAT, new MediaType("text", "plain"), "{}"));
    assertEquals(415, refusal("signals", STRAT, MediaType.WILDCARD_TYPE, "{}"));
    assertEquals(415, refusal("signals", STRAT, new MediaType("application", "*"), "{}"));
    assertEquals(415, refusal("signals", STRAT, null, "{}"));
  }

  @Test
  void credentialsAreCheckedBeforeAnythingElse() {
    Function<String, String> none = Map.<String, String>of()::get;
    assertEquals(401, refusal("Bad Channel", none, null, "not json"));
    assertEquals(401, refusal("signals", basic("strat", "wrong"), JSON, "{}"));
    PublishRefused refused = assertThrows(PublishRefused.class,
        () -> publish("signals", none, JSON, "{}"));
    assertEquals(java.util.Optional.empty(), refused.publisher());
  }

  @Test
  void thenChannelThenPermissionThenMediaTypeThenSizeThenBody() {
    assertEquals(400, refusal("Bad Channel", STRAT, null, "not json"));
    assertEquals(403, refusal("executions", STRAT, null, "not json"));
    assertEquals(415, refusal("signals", STRAT, null, "x".repeat(1000)));
    assertEquals(413, refusal("signals", STRAT, JSON, "x".repeat(101)));
    assertEquals(400, refusal("signals", STRAT, JSON, "x".repeat(100)));
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedUnread() {
    InputStream unread = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("the body was read");
      }
    };
    PublishRefused refused = assertThrows(PublishRefused.class,
        () -> requests.publish("signals", "10.0.0.1", STRAT, JSON, 101, unread));
    assertEquals(413, refused.status());
    assertEquals("body larger than 100 bytes", refused.getMessage());
  }

  @Test
  void aBodyExactlyAtTheLimitIsAccepted() throws PublishRefused {
    String padded = "{\"p\":\"" + "x".repeat(100 - 8) + "\"}";
    assertEquals(100, padded.length());
    publish("signals", STRAT, JSON, padded);
    assertEquals(1, stream.size());
  }

  @Test
  void aRateRefusalPublishesNothingOfTheBatch() throws PublishRefused {
    publish("signals", STRAT, JSON, "[{},{},{}]");
    stream.clear();
    PublishRefused refused = assertThrows(PublishRefused.class,
        () -> publish("signals", STRAT, JSON, "[{},{},{}]"));
    assertEquals(429, refused.status());
    assertEquals("strat", refused.publisher().orElseThrow());
    assertEquals(List.of(), stream);
    // another publisher is not held back by strat's rate
    publish("anything", basic("ops", "o"), JSON, "[{},{},{}]");
    assertEquals(1, stream.size());
  }
}
