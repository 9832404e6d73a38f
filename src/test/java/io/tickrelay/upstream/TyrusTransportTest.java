package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.TcpProxy;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production transport against the fake upstream over real sockets: a session torn down
 * abruptly and a new one opened at once, over and over, must never leave a handshake hanging (a
 * shared Tyrus container shut its executors down under the new session; see the class comment).
 */
class TyrusTransportTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final TyrusTransport transport = new TyrusTransport();
  private FakeAlpaca fake;
  private TcpProxy proxy;

  @BeforeEach
  void start() throws Exception {
    transport.open();
    fake = FakeAlpaca.start();
    proxy = new TcpProxy(0, new InetSocketAddress("localhost", fake.port()));
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    proxy.close();
    fake.close();
  }

  /** Connects and waits for Alpaca's {@code connected}; completes {@code closed} on close. */
  private Session connect(CompletableFuture<CloseReason> closed) throws Exception {
    CompletableFuture<String> greeting = new CompletableFuture<>();
    Endpoint endpoint = new Endpoint() {
      @Override
      public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) greeting::complete);
      }

      @Override
      public void onClose(Session session, CloseReason reason) {
        closed.complete(reason);
      }
    };
    URI uri = URI.create(fake.baseUrlVia(proxy.port()) + "/v2/iex");
    Session session = transport.connect(endpoint, ClientEndpointConfig.Builder.create().build(), uri);
    assertTrue(greeting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).contains("connected"));
    return session;
  }

  @Test
  void reconnectingRightAfterAnAbruptDropNeverHangs() throws Exception {
    for (int i = 0; i < 25; i++) {
      // the next connect starts from inside the old session's onClose, before Tyrus has finished
      // tearing that session down: the moment a shared container shut its executors down
      CompletableFuture<Session> next = new CompletableFuture<>();
      CompletableFuture<CloseReason> closed = new CompletableFuture<>();
      closed.thenRunAsync(() -> {
        try {
          next.complete(connect(new CompletableFuture<>()));
        } catch (Throwable e) {
          next.completeExceptionally(e);
        }
      });
      connect(closed);
      proxy.dropAbruptly();
      next.get(2 * WAIT.toMillis(), TimeUnit.MILLISECONDS).close();
    }
    CompletableFuture<CloseReason> last = new CompletableFuture<>();
    Session session = connect(last);
    session.close();
    last.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    Await.until("every closed session's container let go", WAIT, () -> transport.containers() == 0);
  }

  @Test
  void aClosedTransportLetsGoOfItsContainersAndRefusesNewSessions() throws Exception {
    connect(new CompletableFuture<>());
    assertEquals(1, transport.containers());
    transport.close(); // the connections close their sessions first (STOPPED, 1000) on shutdown
    assertEquals(0, transport.containers());
    try {
      connect(new CompletableFuture<>());
      throw new AssertionError("connected through a closed transport");
    } catch (java.io.IOException expected) {
      assertTrue(expected.getMessage().contains("closed"));
    }
  }
}
