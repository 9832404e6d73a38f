package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickrelay.testing.RawWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reproducer for a defect of the server's WebSocket frame reader, not a test of the gateway: the
 * fuzz tests' client load (16 connections, each sending 260 well-formed frames back to back from
 * {@link FuzzFrames#next}) against {@link SinkEndpoint}, which only answers each message. On Open
 * Liberty 26.0.0.5 about 3 connections in 250,000 frames are closed with {@code 1002} ("Reserved
 * frame must be 0") or {@code 1007} (a well-formed UTF-8 text read as malformed), and FFDC once
 * showed "Buffer has already been released" in {@code LinkRead.convertPayloadToByteArray}. Not run
 * by {@code mvn verify} (the name does not end in IT): {@code mvn verify -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LibertyFramingProbe}.
 */
@ExtendWith(ArquillianExtension.class)
class LibertyFramingProbe {

  private static final int PORT = Integer.getInteger("tickrelay.it.http.port", 9080);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItGateway.war().addClass(SinkEndpoint.class);
  }

  @Test
  void pipelinedValidFramesAreNeverAProtocolError() throws Exception {
    AtomicLong sent = new AtomicLong();
    Map<String, Integer> closes = new ConcurrentHashMap<>();
    List<String> bad = new CopyOnWriteArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(16);
    long seed = System.nanoTime();
    for (int w = 0; w < 16; w++) {
      Random random = new Random(seed + w);
      workers.submit(() -> {
        FuzzFrames frames = new FuzzFrames(random);
        while (sent.get() < 250_000) {
          boolean msgpack = random.nextInt(3) == 0;
          try (RawWebSocket ws = RawWebSocket.open(URI.create("ws://localhost:" + PORT + "/it/sink"),
              Map.of(), Duration.ofSeconds(10))) {
            int n = 260;
            for (int i = 0; i < n; i++) {
              FuzzFrames.Frame f = frames.next(msgpack);
              ws.send(f.opcode(), f.payload());
              sent.incrementAndGet();
            }
            boolean all = ws.awaitReceived(n, Duration.ofSeconds(10));
            if (ws.closed().isDone()) {
              int code = ws.closed().join();
              closes.merge("close:" + code, 1, Integer::sum);
              bad.add("closed " + code + " after " + ws.receivedCount() + " port " + ws.localPort());
            } else if (!all) {
              bad.add("only " + ws.receivedCount() + " answers, "
                  + (FuzzFrames.readerInStep(ws) ? "pong" : "no pong") + ", port " + ws.localPort());
            }
          } catch (Exception e) {
            closes.merge("worker:" + e.getClass().getSimpleName(), 1, Integer::sum);
          }
        }
        return null;
      });
    }
    workers.shutdown();
    workers.awaitTermination(10, TimeUnit.MINUTES);
    System.out.println("LibertyFramingProbe: " + sent.get() + " frames, " + closes + ", bad " + bad.size());
    assertEquals(List.of(), bad);
  }
}
