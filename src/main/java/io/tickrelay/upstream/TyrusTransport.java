package io.tickrelay.upstream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.core.HandshakeException;

/**
 * The only class that knows Tyrus: one client container for every upstream session, bundled in the
 * WAR so the outbound side behaves the same on Open Liberty and Payara.
 */
@ApplicationScoped
public class TyrusTransport implements Transport {

  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  private ClientManager client;

  @PostConstruct
  void open() {
    client = ClientManager.createClient();
    client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, HANDSHAKE_TIMEOUT_MS);
    // market-data frames can be large (news, big subscription acks): no 64 KiB default cap
    client.setDefaultMaxTextMessageBufferSize(16 * 1024 * 1024);
    client.setDefaultMaxBinaryMessageBufferSize(16 * 1024 * 1024);
  }

  @Override
  public Session connect(Endpoint endpoint, ClientEndpointConfig config, URI uri)
      throws DeploymentException, IOException {
    try {
      return client.connectToServer(endpoint, config, uri);
    } catch (DeploymentException e) {
      // Tyrus reports a refused upgrade as a HandshakeException cause; expose just the status
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof HandshakeException refused) {
          throw new HandshakeRefused(refused.getHttpStatusCode(), null);
        }
      }
      throw e;
    }
  }

  @PreDestroy
  void close() {
    client.shutdown();
  }
}
