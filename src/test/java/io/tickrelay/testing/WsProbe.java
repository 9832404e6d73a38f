package io.tickrelay.testing;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A plain WebSocket client for tests: records every frame (text, or msgpack as bytes) and the
 * close reason, and waits for a frame that matches.
 */
public final class WsProbe implements AutoCloseable {

  // One manager for every probe, which keeps its executors for the life of the JVM. A plain Tyrus
  // manager shuts its executors down whenever its open-session count reaches zero
  // (BaseContainer.shutdown(ShutDownCondition), called from ClientManager's activity listener),
  // while a probe connecting at that moment may already hold the old executor: its next send
  // fails with RejectedExecutionException from TyrusSession.restartIdleTimeoutExecutor (seen in
  // TradingStreamTest and BinanceSimulatorTest). Tyrus's shared container avoids that but keeps
  // unclosed connections alive, which held Liberty's quiesce for 30 s at the end of the ITs; a
  // manager per probe changes when frames of a closing session are delivered. The executors' threads
  // are daemons, so keeping them does not hold the JVM.
  private static final ClientManager CLIENT = new ClientManager() {
    @Override
    protected void shutdown(org.glassfish.tyrus.core.BaseContainer.ShutDownCondition condition) {
      // never: see above
    }
  };

  private final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>();
  private final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final Session session;

  private WsProbe(URI uri, Map<String, String> headers) throws Exception {
    ClientEndpointConfig config =
        ClientEndpointConfig.Builder.create()
            .configurator(
                new ClientEndpointConfig.Configurator() {
                  @Override
                  public void beforeRequest(Map<String, List<String>> request) {
                    headers.forEach((k, v) -> request.put(k, List.of(v)));
                  }
                })
            .build();
    session = CLIENT.connectToServer(new Listener(), config, uri);
  }

  public static WsProbe connect(URI uri) throws Exception {
    return new WsProbe(uri, Map.of());
  }

  public static WsProbe connect(URI uri, Map<String, String> headers) throws Exception {
    return new WsProbe(uri, headers);
  }

  /** Sends a text frame; on a socket the server has closed this is an IOException, however Tyrus says it. */
  public void send(String text) throws IOException {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException closed) {
      throw new IOException("closed by the server: " + closed.getMessage(), closed);
    }
  }

  /**
   * Sends a frame the server answers by closing (409 at auth and the like). Tyrus may report the
   * send as failed when the close arrives before the send completes, though the frame went out and
   * was answered: the answer, not the send's outcome, is what the caller checks.
   */
  public void sendExpectingClose(String text) {
    try {
      send(text);
    } catch (IOException closedInAnswer) {
      // the close raced the send's completion; received() holds whatever the server answered
    }
  }

  public void send(byte[] binary) throws IOException {
    try {
      session.getBasicRemote().sendBinary(ByteBuffer.wrap(binary));
    } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException closed) {
      throw new IOException("closed by the server: " + closed.getMessage(), closed);
    }
  }

  /** The next text frame that contains {@code fragment}, skipping others. */
  public String awaitText(String fragment, Duration timeout) throws InterruptedException {
    return (String) await(f -> f instanceof String s && s.contains(fragment), timeout, fragment);
  }

  /** The next binary frame that passes {@code test}, skipping others. */
  public byte[] awaitBinary(Predicate<byte[]> test, Duration timeout) throws InterruptedException {
    return (byte[]) await(f -> f instanceof byte[] b && test.test(b), timeout, "binary frame");
  }

  private Object await(Predicate<Object> test, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Object frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (frame == null) {
        throw new AssertionError("no frame with " + what + " within " + timeout);
      }
      if (test.test(frame)) {
        return frame;
      }
    }
  }

  public CloseReason awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isOpen() {
    return session.isOpen();
  }

  public void clear() {
    frames.clear();
    received.clear();
  }

  /** Every text frame received since the probe opened or was last cleared, awaited or not. */
  public List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    if (session.isOpen()) {
      session.close();
    }
  }

  private final class Listener extends Endpoint {
    @Override
    public void onOpen(Session opened, EndpointConfig config) {
      opened.addMessageHandler(
          String.class,
          (MessageHandler.Whole<String>)
              text -> {
                received.add(text);
                frames.add(text);
              });
      opened.addMessageHandler(
          ByteBuffer.class,
          (MessageHandler.Whole<ByteBuffer>)
              buffer -> {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                frames.add(bytes);
              });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
      closed.complete(reason);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
