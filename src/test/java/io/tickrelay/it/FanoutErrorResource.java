package io.tickrelay.it;

import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.PassThrough;
import io.tickrelay.marketdata.Streams;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * IT-only (FanoutErrorIT adds it to the deployed WAR; the product WAR has no such endpoint): hands
 * the stock stream one upstream message whose encoding throws an {@link Error}, as an upstream
 * reader does (a {@link MarketDataReceived} event). The fan-out thread encodes a message for its
 * subscribers (once per wire format), so the Error is thrown on that thread, in a round, where a
 * real out-of-memory or stack overflow would be: one of the message's values is a list that throws
 * when the encoder asks its size. Nothing else reads that value: the event and the message copy
 * their collections shallowly, and only the fan-out encodes.
 */
@Path("it/fanout-error")
@RequestScoped
public class FanoutErrorResource {

  /** What the fan-out thread dies of, named so that no one takes it for a real one in the logs. */
  public static final class InjectedError extends Error {
    InjectedError() {
      super("injected by FanoutErrorIT into the fan-out");
    }
  }

  @Inject Event<MarketDataReceived> received;

  /** Returns 204 once the event is handed over; the Error comes later, on the fan-out thread. */
  @POST
  public void poison(@QueryParam("symbol") String symbol) {
    if (symbol == null || !symbol.matches("[A-Z]{1,8}")) {
      throw new BadRequestException("symbol");
    }
    PassThrough message = new PassThrough("x-errit", symbol, Instant.now(),
        Map.of("S", symbol, "v", new ThrowingList()));
    received.fire(new MarketDataReceived(Streams.STOCKS, "sip", List.of(message)));
  }

  /** The fan-out queue this deployment runs with, so the IT can tell its configuration took. */
  @GET
  @Path("queue")
  @Produces(MediaType.TEXT_PLAIN)
  public String queue() {
    return ConfigProvider.getConfig().getValue("tickrelay.client.fanout-queue", String.class);
  }

  /** A decoded wire list as far as the encoder can tell, until it asks how long it is. */
  private static final class ThrowingList extends AbstractList<Object> {
    @Override
    public Object get(int index) {
      throw new InjectedError();
    }

    @Override
    public int size() {
      throw new InjectedError();
    }
  }
}
