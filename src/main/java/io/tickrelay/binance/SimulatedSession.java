package io.tickrelay.binance;

import io.tickrelay.delivery.Outbox;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One client of the Binance simulator: its streams, the {@code combined} property, its pings and
 * incoming-message times, and the answers to its control requests (upstream-protocols.md §2.2).
 */
final class SimulatedSession {

  final Session session;
  final Outbox outbox;
  final Collection<Long> incoming = new ArrayList<>();
  final Set<String> pingsOutstanding = new LinkedHashSet<>();
  volatile Set<String> streams;
  volatile List<String> order;
  volatile boolean combined = true; // the simulator serves /stream, so combined (§2.2)
  Instant lastAnsweredAt;
  long pingCount;
  ScheduledFuture<?> pinger;
  ScheduledFuture<?> expiry;
  ScheduledFuture<?> notice;

  SimulatedSession(Session session, Set<String> initial, Instant openedAt, int outboxFrames) {
    this.session = session;
    this.outbox = new Outbox(session, false, outboxFrames);
    this.streams = Set.copyOf(initial);
    this.order = List.copyOf(initial);
    this.lastAnsweredAt = openedAt;
  }

  void send(String frame) {
    if (!outbox.offer(frame.getBytes(StandardCharsets.UTF_8))) {
      close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow client"));
    }
  }

  void close(CloseReason reason) {
    cancelTimers();
    outbox.abort(reason);
  }

  void cancelTimers() {
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (expiry != null) {
      expiry.cancel(false);
    }
    if (notice != null) {
      notice.cancel(false);
    }
  }

  String handle(ControlRequest request, int maxStreams) throws ControlRequest.Refused {
    switch (request.method()) {
      case "SUBSCRIBE", "UNSUBSCRIBE" -> {
        List<String> names = streamNames(request);
        synchronized (this) {
          Set<String> next = new LinkedHashSet<>(streams);
          if (request.method().equals("SUBSCRIBE")) {
            next.addAll(names);
          } else {
            names.forEach(next::remove);
          }
          if (next.size() > maxStreams) {
            // Binance documents the cap, not the reply (§6.9): refused whole, nothing changes
            throw new ControlRequest.Refused(2, "Invalid request: too many streams, at most "
                + maxStreams + " per connection", request.id());
          }
          streams = Set.copyOf(next);
          order = List.copyOf(next);
        }
        return ControlRequest.result("null", request.id());
      }
      case "LIST_SUBSCRIPTIONS" -> {
        StringBuilder list = new StringBuilder("[");
        for (String name : order) {
          list.append(list.length() > 1 ? "," : "").append('"').append(name).append('"');
        }
        return ControlRequest.result(list.append(']').toString(), request.id());
      }
      case "GET_PROPERTY" -> {
        property(request);
        return ControlRequest.result(Boolean.toString(combined), request.id());
      }
      default -> { // SET_PROPERTY
        property(request);
        if (request.params().size() != 2
            || !(request.params().get(1) == JsonValue.TRUE || request.params().get(1) == JsonValue.FALSE)) {
          throw new ControlRequest.Refused(1, "Invalid value type: expected Boolean", request.id());
        }
        combined = request.params().get(1) == JsonValue.TRUE;
        return ControlRequest.result("null", request.id());
      }
    }
  }

  private static void property(ControlRequest request) throws ControlRequest.Refused {
    if (request.params().isEmpty() || !(request.params().get(0) instanceof JsonString name)) {
      throw new ControlRequest.Refused(2, "Invalid request: property name must be a string", request.id());
    }
    if (!name.getString().equals("combined")) {
      throw new ControlRequest.Refused(0, "Unknown property", request.id());
    }
  }

  private static List<String> streamNames(ControlRequest request) throws ControlRequest.Refused {
    List<String> names = new ArrayList<>();
    for (JsonValue param : request.params()) {
      if (!(param instanceof JsonString s) || !BinanceSimulator.STREAM.matcher(s.getString()).matches()) {
        throw new ControlRequest.Refused(2, "Invalid request: invalid stream", request.id());
      }
      names.add(s.getString());
    }
    return names;
  }
}
