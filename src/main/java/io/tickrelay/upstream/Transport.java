package io.tickrelay.upstream;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;

/** Opens outbound WebSocket sessions; blocks until the handshake has completed or failed. */
@FunctionalInterface
public interface Transport {

  Session connect(Endpoint endpoint, ClientEndpointConfig config, URI uri)
      throws DeploymentException, IOException;
}
