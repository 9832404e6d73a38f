package io.tickrelay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of an upstream, for network faults a WebSocket server cannot produce by
 * itself: freeze (sockets open, nothing flows either way, so pings go unanswered), abrupt drop (TCP
 * reset, no close frame), and refusing handshakes with an HTTP status.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile int refuseWith;

  public TcpProxy(int listenPort, InetSocketAddress target) throws IOException {
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress("localhost", listenPort));
    this.target = target;
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far, refused ones included. */
  public int accepted() {
    return accepted.get();
  }

  /** Stops every current connection dead: nothing more is relayed, nothing is closed. */
  public void freeze() {
    links.forEach(link -> link.frozen = true);
  }

  /** Resets every current connection: RST, no WebSocket close frame. */
  public void dropAbruptly() {
    for (Link link : links) {
      link.reset();
    }
    links.clear();
  }

  /** Answers new handshakes with this HTTP status (0: relay them again). */
  public void refuseWith(int status) {
    refuseWith = status;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        accepted.incrementAndGet();
        int status = refuseWith;
        if (status > 0) {
          threads.execute(() -> refuse(client, status));
        } else {
          Link link = new Link(client, new Socket(target.getHostString(), target.getPort()));
          links.add(link);
          threads.execute(() -> link.pump(link.client, link.server));
          threads.execute(() -> link.pump(link.server, link.client));
        }
      } catch (IOException e) {
        if (!listener.isClosed()) {
          continue;
        }
      }
    }
  }

  private static void refuse(Socket client, int status) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = new byte[4096];
      int read = in.read(head); // the upgrade request; its content does not matter
      String reply = "HTTP/1.1 " + status + " Refused\r\nRetry-After: 30\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n";
      if (read > 0) {
        client.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException ignored) {
      // the client went away first; nothing to refuse
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    dropAbruptly();
    threads.shutdownNow();
  }

  private static final class Link {
    final Socket client;
    final Socket server;
    volatile boolean frozen;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (frozen) {
            continue; // swallow: the peer sees an open socket that has gone silent
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        to.shutdownOutput();
      } catch (IOException closed) {
        reset();
      }
    }

    void reset() {
      for (Socket socket : new Socket[] {client, server}) {
        try {
          socket.setSoLinger(true, 0); // close with RST
          socket.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }
  }
}
