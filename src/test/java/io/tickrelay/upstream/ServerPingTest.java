package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link UpstreamProtocol.KeepaliveMode#ANSWER_SERVER_PINGS} relies on: a Tyrus client
 * answers a server's ping by itself, with a pong carrying the same payload (Binance requires it,
 * web-socket-streams.md), with no handler registered on the client.
 */
class ServerPingTest {

  private static final CompletableFuture<byte[]> PONG = new CompletableFuture<>();
  private final TyrusTransport transport = new TyrusTransport();
  private Server server;

  @AfterEach
  void stop() {
    transport.close();
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void theTransportAnswersAServerPingWithItsPayload() throws Exception {
    server = new Server("localhost", -1, "/ping", Map.of(), Pinging.class);
    server.start();
    transport.open();
    Endpoint quiet = new Endpoint() {
      @Override
      public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {});
      }
    };
    Session session = transport.connect(quiet, ClientEndpointConfig.Builder.create().build(),
        URI.create("ws://localhost:" + server.getPort() + "/ping/server"));
    byte[] echoed = PONG.get(5, TimeUnit.SECONDS);
    assertArrayEquals("1717000000123".getBytes(StandardCharsets.US_ASCII), echoed);
    session.close();
  }

  /** Pings every client once it opens, with a Binance-like payload, and records the pong. */
  @ServerEndpoint("/server")
  public static class Pinging {
    @OnOpen
    public void open(Session session) throws Exception {
      session.getBasicRemote().sendPing(ByteBuffer.wrap("1717000000123".getBytes(StandardCharsets.US_ASCII)));
    }

    @OnMessage
    public void pong(PongMessage pong) {
      ByteBuffer data = pong.getApplicationData();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      PONG.complete(bytes);
    }
  }
}
