package io.tickrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of one benchmark connection: hands each whole data frame to its
 * {@link BenchClient} as bytes on the event-loop thread that read it, and turns the handshake's
 * outcome, close frames and transport failures into the client's future and error counts.
 */
final class ClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  /** Frames up to this size are copied into the kept array; bigger catch-up frames get their own. */
  private static final int KEPT_MAX = 256 * 1024;

  private final BenchClient client;
  private final CompletableFuture<Void> handshake;
  private byte[] bytes = new byte[0];
  private boolean ended; // an error or a close frame was reported: nothing more to report

  ClientHandler(BenchClient client, CompletableFuture<Void> handshake) {
    this.client = client;
    this.handshake = handshake;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    client.attach(ctx.channel()); // before anything is read, on the channel's event loop
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      int n = frame.content().readableBytes();
      client.onText(copy(frame.content(), n), n);
    } else if (frame instanceof BinaryWebSocketFrame) {
      int n = frame.content().readableBytes();
      client.onBinary(copy(frame.content(), n), n);
    } else if (frame instanceof CloseWebSocketFrame close) {
      if (!ended && !client.closed()) {
        ended = true;
        int code = close.statusCode();
        client.onClose(code < 0 ? 1005 : code); // 1005: no status code, as the JDK reported it
      }
      // answer the close handshake, then drop the connection
      ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The content's readable bytes in the kept array, grown as needed, or in a one-off array. */
  private byte[] copy(ByteBuf content, int n) {
    byte[] target = bytes;
    if (n > KEPT_MAX) {
      target = new byte[n];
    } else if (n > target.length) {
      bytes = new byte[Math.min(KEPT_MAX, Math.max(n, Math.max(1024, 2 * target.length)))];
      target = bytes;
    }
    content.getBytes(content.readerIndex(), target, 0, n);
    return target;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      handshake.complete(null);
    } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      handshake.completeExceptionally(new WebSocketClientHandshakeException("handshake timed out"));
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!handshake.isDone()) {
      handshake.completeExceptionally(cause);
    } else if (!ended && !client.closed()) {
      ended = true;
      client.onError(cause);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // the server dropped the connection without a close frame (or before the handshake completed)
    if (!handshake.isDone()) {
      handshake.completeExceptionally(new ClosedChannelException());
    } else if (!ended && !client.closed()) {
      ended = true;
      client.onError(new ClosedChannelException());
    }
    super.channelInactive(ctx);
  }
}
