package io.tickrelay.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The benchmark clients' WebSocket transport: every connection on a few Netty event-loop threads
 * that read, unmask, aggregate and hand each frame to its {@link BenchClient} with no thread
 * hand-off, so the load generator takes as little of the gateway's CPU as it can.
 */
final class ClientTransport implements AutoCloseable {

  /** Largest frame accepted: catch-up frames after a stall carry a lot of trades. */
  private static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final long handshakeTimeoutMillis;
  private SslContext tls;

  ClientTransport(int threads, long handshakeTimeoutMillis) {
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.group = new MultiThreadIoEventLoopGroup(threads,
        new DefaultThreadFactory("bench-client", true), NioIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true);
  }

  /**
   * Opens {@code uri} for {@code client}; the future completes when the handshake has. Called from
   * one thread (the bench's connect loop).
   */
  CompletableFuture<Void> connect(BenchClient client, URI uri, boolean msgpack) {
    CompletableFuture<Void> handshake = new CompletableFuture<>();
    boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    SslContext ssl;
    try {
      ssl = secure ? tls() : null;
    } catch (SSLException e) {
      handshake.completeExceptionally(e);
      return handshake;
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    if (msgpack) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, "application/msgpack"); // Alpaca's msgpack switch
    }
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .version(WebSocketVersion.V13)
        .customHeaders(headers)
        .maxFramePayloadLength(MAX_FRAME_BYTES)
        .handleCloseFrames(false) // ClientHandler reports the close code
        .sendCloseFrame(null) // BenchClient.close drops the connection, as the JDK's abort did
        .handshakeTimeoutMillis(handshakeTimeoutMillis)
        .generateOriginHeader(false) // the JDK client sent none
        .withUTF8Validator(false) // the scans read bytes; no need to pay for validating them
        .build();
    ChannelFuture connected = bootstrap.clone()
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            if (ssl != null) {
              p.addLast(ssl.newHandler(ch.alloc(), uri.getHost(), port));
            }
            p.addLast(new HttpClientCodec(),
                new HttpObjectAggregator(64 * 1024),
                new WebSocketClientProtocolHandler(config),
                new WebSocketFrameAggregator(MAX_FRAME_BYTES),
                new ClientHandler(client, handshake));
          }
        })
        .connect(new InetSocketAddress(uri.getHost(), port));
    connected.addListener(f -> {
      if (!f.isSuccess()) {
        handshake.completeExceptionally(f.cause());
      }
    });
    return handshake;
  }

  private SslContext tls() throws SSLException {
    if (tls == null) {
      tls = SslContextBuilder.forClient().build();
    }
    return tls;
  }

  /** Stops the event loops, closing whatever connections are still open. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
