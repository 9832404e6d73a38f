package io.tickrelay.baseline;

import io.tickrelay.config.GatewayConfig;
import io.tickrelay.upstream.TyrusTransport;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One upstream session to the configured Alpaca URL, subscribed to every trade, whose frames go
 * unchanged to every registered client. No decoding, numbering, journal, entitlements or slow
 * client policy: that is the point of a baseline. The key lives here rather than in {@link
 * GatewayConfig} because it is a benchmark switch, not a product setting.
 */
@ApplicationScoped
public class BaselineRelay {

  private static final Logger LOG = Logger.getLogger(BaselineRelay.class.getName());

  @Inject
  @ConfigProperty(name = "tickrelay.bench.baseline", defaultValue = "false")
  boolean enabled;

  @Inject GatewayConfig config;
  @Inject TyrusTransport transport;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ManagedScheduledExecutorService scheduler;

  private final Set<BaselineClient> clients = ConcurrentHashMap.newKeySet();
  private volatile Session upstream;
  private volatile boolean stopped;
  private ScheduledFuture<?> keepConnected;

  void start(@Observes Startup startup) {
    if (!enabled) {
      return;
    }
    LOG.warning("BENCHMARK BASELINE enabled: /baseline/v2/{feed} forwards upstream frames unchanged");
    keepConnected = scheduler.scheduleWithFixedDelay(this::connectIfNeeded, 0, 1, TimeUnit.SECONDS);
  }

  public boolean enabled() {
    return enabled;
  }

  /** The first client subscribes the upstream to every trade; nothing flows while none listens. */
  void register(BaselineClient client) {
    synchronized (clients) {
      if (clients.isEmpty()) {
        demand("subscribe");
      }
      clients.add(client);
    }
  }

  void unregister(BaselineClient client) {
    synchronized (clients) {
      if (clients.remove(client) && clients.isEmpty()) {
        demand("unsubscribe");
      }
    }
  }

  private void demand(String action) {
    Session current = upstream;
    if (current != null && current.isOpen()) {
      send(current, "{\"action\":\"" + action + "\",\"trades\":[\"*\"]}");
    }
  }

  private void connectIfNeeded() {
    Session current = upstream;
    if (stopped || (current != null && current.isOpen())) {
      return;
    }
    URI uri = URI.create(config.alpacaStreamUrl() + "/v2/" + config.feeds().get(0));
    try {
      upstream = transport.connect(new Forwarder(), ClientEndpointConfig.Builder.create().build(), uri);
    } catch (DeploymentException | IOException | RuntimeException e) {
      LOG.info(() -> "baseline: connecting to " + uri + " failed, retrying in 1 s: " + e.getMessage());
    }
  }

  /** The upstream side: Alpaca's auth and subscribe (upstream-protocols.md §1.3-1.4), then relay. */
  private final class Forwarder extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig endpointConfig) {
      session.setMaxTextMessageBufferSize(16 * 1024 * 1024);
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> {
        if (frame.contains("\"msg\":\"connected\"")) {
          send(session, "{\"action\":\"auth\",\"key\":\"" + config.upstreamKeyId()
              + "\",\"secret\":\"" + config.upstreamSecret() + "\"}");
        } else if (frame.contains("\"msg\":\"authenticated\"")) {
          upstream = session;
          if (!clients.isEmpty()) {
            demand("subscribe");
          }
        } else {
          for (BaselineClient client : clients) {
            client.send(frame);
          }
        }
      });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
      LOG.info(() -> "baseline: upstream closed: " + reason);
    }
  }

  private static void send(Session session, String text) {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IOException e) {
      LOG.info(() -> "baseline: upstream send failed: " + e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    stopped = true;
    if (keepConnected != null) {
      keepConnected.cancel(false);
    }
    Session current = upstream;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        LOG.fine(() -> "baseline: upstream close failed: " + e.getMessage());
      }
    }
  }
}
