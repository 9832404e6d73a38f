package io.tickrelay.upstream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.core.HandshakeException;

/**
 * The only class that knows Tyrus, bundled in the WAR so the outbound side behaves the same on
 * Open Liberty and Payara.
 *
 * <p>Each session gets its own client container. A Tyrus {@link ClientManager} that owns its
 * executors (no container-managed ones found through JNDI) shuts them down as soon as its count of
 * open sessions drops to zero; with one shared container, a reconnect started while the previous
 * session was still being torn down had its new session's timers rejected by the dying executor,
 * and its handshake hung until the 10 s handshake timeout. A container per session cannot be shut
 * down under another session's feet.
 */
@ApplicationScoped
public class TyrusTransport implements Transport {

  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  /** Containers with a session open or opening; closed on shutdown, forgotten on session close. */
  private final Set<ClientManager> clients = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  @PostConstruct
  void open() {
    closed = false;
  }

  private static ClientManager newClient() {
    ClientManager client = ClientManager.createClient();
    client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, HANDSHAKE_TIMEOUT_MS);
    // market-data frames can be large (news, big subscription acks): no 64 KiB default cap
    client.setDefaultMaxTextMessageBufferSize(16 * 1024 * 1024);
    client.setDefaultMaxBinaryMessageBufferSize(16 * 1024 * 1024);
    return client;
  }

  @Override
  public Session connect(Endpoint endpoint, ClientEndpointConfig config, URI uri)
      throws DeploymentException, IOException {
    if (closed) {
      throw new IOException("transport closed");
    }
    ClientManager client = newClient();
    clients.add(client);
    try {
      return client.connectToServer(new Forgetting(endpoint, client), config, uri);
    } catch (DeploymentException e) {
      forget(client);
      // Tyrus reports a refused upgrade as a HandshakeException cause; expose just the status
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof HandshakeException refused) {
          throw new HandshakeRefused(refused.getHttpStatusCode(), null);
        }
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      forget(client);
      throw e;
    }
  }

  private void forget(ClientManager client) {
    if (clients.remove(client)) {
      client.shutdown();
    }
  }

  /** Containers currently held, for tests: one per open or opening session. */
  int containers() {
    return clients.size();
  }

  @PreDestroy
  void close() {
    closed = true;
    for (ClientManager client : clients) {
      forget(client);
    }
  }

  /** Passes every callback on, and lets go of the session's container once the session is over. */
  private final class Forgetting extends Endpoint {

    private final Endpoint delegate;
    private final ClientManager client;

    Forgetting(Endpoint delegate, ClientManager client) {
      this.delegate = delegate;
      this.client = client;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      delegate.onOpen(session, config);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
      try {
        delegate.onClose(session, closeReason);
      } finally {
        clients.remove(client); // Tyrus shuts this container down itself once its session is gone
      }
    }

    @Override
    public void onError(Session session, Throwable thr) {
      delegate.onError(session, thr);
    }
  }
}
