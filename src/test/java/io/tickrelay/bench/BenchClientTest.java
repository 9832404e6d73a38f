package io.tickrelay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The benchmark client's protocol and measurement fed through its Netty handler, no network. */
class BenchClientTest {

  private final BenchClient client = new BenchClient("k", "s", new int[] {1, 2}, 10, true);
  private final CompletableFuture<Void> handshake = new CompletableFuture<>();
  private final Window window = new Window();
  private EmbeddedChannel channel;

  @BeforeEach
  void open() {
    channel = new EmbeddedChannel(new ClientHandler(client, handshake));
    channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    client.window(window);
    window.open(new long[10]);
  }

  @Test
  void authenticatesThenSubscribes() {
    assertTrue(handshake.isDone());
    channel.writeInbound(text("[{\"T\":\"success\",\"msg\":\"connected\"}]"));
    assertEquals("{\"action\":\"auth\",\"key\":\"k\",\"secret\":\"s\"}", sent());
    channel.writeInbound(text("[{\"T\":\"success\",\"msg\":\"authenticated\"}]"));
    assertEquals(0, client.authenticated.getCount());
    assertEquals("{\"action\":\"subscribe\",\"trades\":[\"S0001\",\"S0002\"]}", sent());
    channel.writeInbound(text("[{\"T\":\"subscription\",\"trades\":[\"S0001\",\"S0002\"]}]"));
    assertEquals(0, client.subscribed.getCount());
    assertTrue(client.errors.isEmpty());
  }

  @Test
  void scansTradesFromBytesForGapsOrderAndLatency() {
    Instant t = Instant.now().minusMillis(5);
    channel.writeInbound(text("[" + trade(1, 1, t) + "," + trade(2, 1, t) + "]"));
    channel.writeInbound(text("[" + trade(1, 4, t) + "," + trade(1, 3, t) + "]"));
    assertEquals(4, client.last(1));
    assertEquals(1, client.last(2));
    assertEquals(4, window.delivered.sum());
    assertEquals(2, window.gaps.sum()); // 2 and 3 missing when 4 came
    assertEquals(1, window.outOfOrder.sum()); // 3 after 4
    assertEquals(2, window.framesReceived.sum());
    long p50 = window.latencyMicros.getIntervalHistogram().getValueAtPercentile(50);
    assertTrue(p50 >= 5_000 && p50 < 5_000_000, "latency µs " + p50);
  }

  @Test
  void aFrameBiggerThanTheKeptArrayIsScannedWhole() {
    Instant t = Instant.now();
    StringBuilder frame = new StringBuilder("[");
    for (int id = 1; id <= 5000; id++) {
      frame.append(id == 1 ? "" : ",").append(trade(2, id, t));
    }
    assertTrue(frame.length() > 256 * 1024);
    channel.writeInbound(text(frame.append(']').toString()));
    channel.writeInbound(text("[" + trade(2, 5001, t) + "]"));
    assertEquals(5001, client.last(2));
    assertEquals(5001, window.delivered.sum());
    assertEquals(0, window.gaps.sum());
  }

  @Test
  void readsMsgpackTrades() throws Exception {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packArrayHeader(1).packMapHeader(4);
    p.packString("T").packString("t");
    p.packString("S").packString("S0002");
    p.packString("i").packLong(7);
    p.packString("t").packTimestamp(Instant.now().minusMillis(2));
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(p.toByteArray())));
    assertEquals(7, client.last(2));
    assertEquals(1, window.delivered.sum());
    assertTrue(client.errors.isEmpty());
  }

  @Test
  void reportsTheServersCloseCodeAndAnswersIt() {
    channel.writeInbound(new CloseWebSocketFrame(1008, "policy"));
    assertEquals(Map.of("close:1008", 1), client.errors);
    CloseWebSocketFrame answer = channel.readOutbound();
    answer.release();
    assertFalse(channel.isActive());
    assertEquals(Map.of("close:1008", 1), client.errors); // the drop that follows is no error
  }

  @Test
  void aDroppedConnectionIsATransportError() {
    channel.close();
    assertEquals(Map.of("transport:ClosedChannelException", 1), client.errors);
  }

  @Test
  void closingItselfIsNoError() {
    client.close();
    channel.runPendingTasks();
    assertFalse(channel.isActive());
    assertTrue(client.errors.isEmpty());
  }

  @Test
  void aConnectionLostBeforeTheHandshakeFailsTheConnect() {
    CompletableFuture<Void> pending = new CompletableFuture<>();
    EmbeddedChannel ch = new EmbeddedChannel(new ClientHandler(
        new BenchClient("k", "s", new int[0], 10, false), pending));
    ch.close();
    assertTrue(pending.isCompletedExceptionally());
    assertNull(pending.handle((v, e) -> e instanceof ClosedChannelException ? null : e).join());
  }

  private static TextWebSocketFrame text(String s) {
    return new TextWebSocketFrame(s);
  }

  private String sent() {
    TextWebSocketFrame f = channel.readOutbound();
    try {
      return f.text();
    } finally {
      f.release();
    }
  }

  private static String trade(int symbol, long id, Instant t) {
    return "{\"T\":\"t\",\"S\":\"" + TradeDriver.symbol(symbol) + "\",\"i\":" + id
        + ",\"x\":\"V\",\"p\":100.5,\"s\":100,\"c\":[\"@\"],\"z\":\"C\",\"t\":\"" + t + "\"}";
  }
}
