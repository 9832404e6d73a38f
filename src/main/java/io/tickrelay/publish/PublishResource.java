package io.tickrelay.publish;

import io.tickrelay.config.Credential;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.marketdata.Published;
import io.tickrelay.marketdata.Streams;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code POST /api/v1/publish/{channel}}: checks a producer's request completely (credentials,
 * channel, media type, size, JSON, rate) before anything is published, then publishes all its
 * events as one batch of the {@code published} stream, or nothing.
 */
@Path("v1/publish")
@ApplicationScoped
public class PublishResource {

  private static final Logger LOG = Logger.getLogger(PublishResource.class.getName());

  /** The feed name on {@link MarketDataReceived}: published events come from no upstream feed. */
  static final String FEED = "internal";

  private static final JsonProvider JSON = JsonProvider.provider();

  @Inject GatewayConfig config;
  @Inject Event<MarketDataReceived> received;

  Clock clock = Clock.systemUTC();
  private Publishers publishers;
  private int maxBytes;

  @PostConstruct
  void load() {
    publishers =
        new Publishers(config.publisherCredentials(), config.publishPerSecond(), System::nanoTime);
    maxBytes = config.publishMaxBytes();
  }

  @POST
  @Path("{channel}")
  public Response publish(
      @PathParam("channel") String channel, @Context HttpHeaders headers, InputStream body) {
    String publisherKey = null;
    try {
      Credential publisher =
          publishers.authenticate(PublisherAuth.from(name -> headers.getHeaderString(name)));
      publisherKey = publisher.key();
      Payloads.checkChannel(channel);
      Publishers.checkAllowed(publisher, channel);
      checkMediaType(headers.getMediaType());
      List<String> payloads = Payloads.events(read(body, headers.getLength()));
      publishers.admit(publisher, payloads.size());
      Instant now = clock.instant();
      List<MarketEvent> events = new ArrayList<>(payloads.size());
      for (String json : payloads) {
        events.add(new Published(channel, publisher.key(), json, now));
      }
      received.fire(new MarketDataReceived(Streams.PUBLISHED, FEED, events));
      LOG.fine(() -> "publisher " + publisher.key() + " published " + events.size() + " on " + channel);
      return Response.accepted(accepted(channel, events.size()))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    } catch (PublishRefused refused) {
      String who = publisherKey == null ? "an unauthenticated request" : "publisher " + publisherKey;
      LOG.fine(() -> "publish refused with " + refused.status() + " for " + who + ": " + refused.getMessage());
      return refusal(refused);
    }
  }

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

  /** At most {@code maxBytes}, judged by Content-Length first and by what actually arrives. */
  private byte[] read(InputStream body, int contentLength) throws PublishRefused {
    if (contentLength > maxBytes) {
      throw tooLarge();
    }
    try {
      byte[] bytes = body.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException broken) {
      throw new PublishRefused(400, "request body could not be read");
    }
  }

  private PublishRefused tooLarge() {
    return new PublishRefused(413, "body larger than " + maxBytes + " bytes");
  }

  private static Response refusal(PublishRefused refused) {
    Response.ResponseBuilder response =
        Response.status(refused.status())
            .entity(error(refused.status(), refused.getMessage()))
            .type(MediaType.APPLICATION_JSON_TYPE);
    if (refused.status() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"tickrelay publish\", charset=\"UTF-8\"");
    }
    refused.retryAfter().ifPresent(wait ->
        // Retry-After is whole seconds (RFC 9110 10.2.3); round up so a retry then is admitted
        response.header("Retry-After", Math.max(1, (wait.toMillis() + 999) / 1000)));
    return response.build();
  }

  private static String accepted(String channel, int count) {
    return JSON.createObjectBuilder().add("channel", channel).add("accepted", count).build().toString();
  }

  private static String error(int code, String message) {
    return JSON.createObjectBuilder().add("code", code).add("message", message).build().toString();
  }
}
