package io.tickrelay.publish;

import io.tickrelay.admission.ClientAdmission;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.MarketDataReceived;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * {@code POST /api/v1/publish/{channel}}: hands the request to {@link PublishRequests} and turns
 * the outcome into HTTP ({@code 202} with the count, or the refusal's status and reason).
 */
@Path("v1/publish")
@ApplicationScoped
public class PublishResource {

  private static final Logger LOG = Logger.getLogger(PublishResource.class.getName());

  private static final JsonProvider JSON = JsonProvider.provider();

  @Inject GatewayConfig config;
  @Inject Event<MarketDataReceived> received;
  @Inject ClientAdmission admission;

  private PublishRequests requests;

  @PostConstruct
  void load() {
    requests = new PublishRequests(
        new Publishers(config.publisherCredentials(), config.publishPerSecond(), System::nanoTime,
            admission.admission()),
        config.publishMaxBytes(),
        Clock.systemUTC(),
        received::fire);
  }

  @POST
  @Path("{channel}")
  public Response publish(
      @PathParam("channel") String channel, @Context HttpHeaders headers,
      @Context HttpServletRequest request, InputStream body) {
    try {
      PublishRequests.Accepted accepted = requests.publish(
          channel, request.getRemoteAddr(), headers::getHeaderString, headers.getMediaType(), headers.getLength(), body);
      LOG.fine(() -> "publisher " + accepted.publisher() + " published " + accepted.events()
          + " on " + accepted.channel());
      return Response.accepted(accepted(accepted.channel(), accepted.events()))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    } catch (PublishRefused refused) {
      LOG.fine(() -> "publish refused with " + refused.status() + " for "
          + refused.publisher().map(key -> "publisher " + key).orElse("an unauthenticated request")
          + ": " + refused.getMessage());
      return refusal(refused);
    }
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
