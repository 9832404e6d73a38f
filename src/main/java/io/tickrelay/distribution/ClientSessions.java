package io.tickrelay.distribution;

import io.tickrelay.config.Credential;
import io.tickrelay.config.Credentials;
import io.tickrelay.config.GatewayConfig;
import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import io.tickrelay.marketdata.MarketDataReceived;
import io.tickrelay.marketdata.MarketEvent;
import io.tickrelay.protocol.AlpacaError;
import io.tickrelay.protocol.ClientMessage;
import io.tickrelay.protocol.HandshakeCapture;
import io.tickrelay.protocol.ProtocolException;
import io.tickrelay.protocol.WireCodec;
import io.tickrelay.protocol.WireFormat;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Every connected client, the protocol conversation with each (Alpaca's stream protocol,
 * upstream-protocols.md §1.3-1.4) and the fan-out of upstream data to their outboxes.
 */
@ApplicationScoped
public class ClientSessions {

  /** Stock feed paths Alpaca serves under {@code /v2} (upstream-protocols.md §1.1). */
  static final Set<String> STOCK_FEEDS = Set.of("sip", "iex", "delayed_sip", "test", "boats", "overnight");

  private static final Logger LOG = Logger.getLogger(ClientSessions.class.getName());
  private static final int MAX_FAILED_AUTHS = 3;

  @Inject GatewayConfig config;
  @Inject Event<DemandChanged> demand;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private final Subscriptions subscriptions = new Subscriptions();
  private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
  private Credentials credentials;

  @PostConstruct
  void init() {
    credentials = config.clientCredentials();
    LOG.info("Client credentials configured: " + credentials.size());
  }

  /** A client finished its handshake on {@code /v2/{feed}}. Null when it was turned away. */
  ClientSession opened(Session session, String feed) {
    if (!STOCK_FEEDS.contains(feed)) {
      close(session, new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "unknown feed"));
      return null;
    }
    Map<String, List<String>> headers = HandshakeCapture.headers(session.getUserProperties());
    ClientSession client =
        new ClientSession(session, feed, WireFormat.fromHeaders(headers), config.clientOutboxFrames());
    sessions.put(client.id(), client);
    client.send(client.codec().success("connected"));
    Optional<String> key = HandshakeCapture.header(headers, "APCA-API-KEY-ID");
    Optional<String> secret = HandshakeCapture.header(headers, "APCA-API-SECRET-KEY");
    if (key.isPresent() && secret.isPresent()) {
      authenticate(client, new ClientMessage.Auth(key.get(), secret.get()));
    } else {
      long timeoutMs = config.clientAuthTimeout().toMillis();
      client.authDeadline(scheduler.schedule(() -> authTimedOut(client), timeoutMs, TimeUnit.MILLISECONDS));
    }
    return client;
  }

  void text(ClientSession client, String text) {
    try {
      handle(client, ((io.tickrelay.protocol.JsonCodec) WireFormat.JSON.codec()).decodeClient(text));
    } catch (ProtocolException e) {
      rejected(client, e);
    }
  }

  void binary(ClientSession client, byte[] frame) {
    try {
      handle(client, WireFormat.MSGPACK.codec().decodeClient(frame));
    } catch (ProtocolException e) {
      rejected(client, e);
    }
  }

  void closed(ClientSession client) {
    client.cancelTimers();
    sessions.remove(client.id());
    changeSubscriptions(client, Interest.none());
  }

  public int count() {
    return sessions.size();
  }

  void onMarketData(@Observes MarketDataReceived data) {
    Map<ClientSession, List<byte[]>> frames = new IdentityHashMap<>();
    for (MarketEvent event : data.events()) {
      byte[][] encoded = new byte[WireFormat.values().length][];
      for (Set<ClientSession> clients : subscriptions.subscribers(event.channel(), event.symbol())) {
        for (ClientSession client : clients) {
          int format = client.codec().format().ordinal();
          if (encoded[format] == null) { // encode once per wire format, share the bytes
            encoded[format] = client.codec().event(event);
          }
          List<byte[]> batch = frames.computeIfAbsent(client, c -> new ArrayList<>(4));
          if (batch.isEmpty() || batch.get(batch.size() - 1) != encoded[format]) {
            batch.add(encoded[format]); // a symbol and "*" together still deliver once
          }
        }
      }
    }
    frames.forEach((client, batch) -> client.send(client.codec().frame(batch)));
  }

  @PreDestroy
  void closeAll() {
    for (ClientSession client : sessions.values()) {
      client.cancelTimers();
      client.outbox().abort(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "gateway stopping"));
    }
  }

  private void handle(ClientSession client, ClientMessage message) {
    if (message instanceof ClientMessage.Auth auth) {
      authenticate(client, auth);
    } else if (message instanceof ClientMessage.Subscription request) {
      if (!client.authenticated()) {
        client.send(client.codec().error(AlpacaError.NOT_AUTHENTICATED));
        return;
      }
      Interest next;
      synchronized (subscriptions) {
        Interest current = client.subscriptions();
        next = request.subscribe()
            ? current.plus(request.interest())
            : current.minus(request.interest());
        changeSubscriptions(client, next);
      }
      client.send(client.codec().subscription(next));
    }
  }

  private void authenticate(ClientSession client, ClientMessage.Auth auth) {
    WireCodec codec = client.codec();
    if (client.authenticated()) {
      client.send(codec.error(AlpacaError.ALREADY_AUTHENTICATED));
      return;
    }
    Optional<Credential> credential = credentials.authenticate(auth.key(), auth.secret());
    if (credential.isEmpty()) {
      LOG.info(() -> client.describe() + ": auth failed for key " + printable(auth.key()));
      if (client.failedAuth() >= MAX_FAILED_AUTHS) {
        client.fail(AlpacaError.AUTH_FAILED);
      } else {
        client.send(codec.error(AlpacaError.AUTH_FAILED));
      }
      return;
    }
    if (!credential.get().allowsFeed(client.feed())) {
      LOG.info(() -> client.describe() + ": key " + auth.key() + " is not entitled to this feed");
      client.fail(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
      return;
    }
    client.authenticatedAs(credential.get());
    client.send(codec.success("authenticated"));
    LOG.fine(() -> client.describe() + ": authenticated");
  }

  private void authTimedOut(ClientSession client) {
    if (!client.authenticated()) {
      LOG.fine(() -> client.describe() + ": auth timeout");
      client.fail(AlpacaError.AUTH_TIMEOUT);
    }
  }

  private void rejected(ClientSession client, ProtocolException e) {
    LOG.fine(() -> client.describe() + ": " + e.getMessage());
    client.send(client.codec().error(e.error()));
  }

  /** Demand changes are fired under the index lock, so the upstream sees them in order. */
  private void changeSubscriptions(ClientSession client, Interest next) {
    synchronized (subscriptions) {
      DemandChanged change = subscriptions.replace(client, next);
      if (!change.added().isEmpty() || !change.removed().isEmpty()) {
        demand.fire(change);
      }
    }
  }

  private static String printable(String untrusted) {
    String cut = untrusted.length() > 40 ? untrusted.substring(0, 40) + "..." : untrusted;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static void close(Session session, CloseReason reason) {
    try {
      session.close(reason);
    } catch (java.io.IOException e) {
      LOG.fine(() -> "close failed: " + e.getMessage());
    }
  }
}
