package io.tickrelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client made by hand on a raw socket, so that it can do what no client library
 * lets it: complete the handshake, send a message, and then stop reading altogether, like a
 * consumer that hangs. Later it can read everything that piled up, frame by frame.
 */
public final class StalledReader implements AutoCloseable {

  /** One server frame: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket = new Socket();
  private final DataInputStream in;
  private final OutputStream out;
  private boolean ended;

  public StalledReader(int port, String path, String key, String secret) throws IOException {
    socket.setReceiveBufferSize(4096); // small, so the server's sends back up quickly
    socket.connect(new java.net.InetSocketAddress("localhost", port), 5000);
    out = socket.getOutputStream();
    String request =
        "GET " + path + " HTTP/1.1\r\n"
            + "Host: localhost:" + port + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "APCA-API-KEY-ID: " + key + "\r\nAPCA-API-SECRET-KEY: " + secret + "\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new DataInputStream(socket.getInputStream());
    String status = readHeaders(in);
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + status);
    }
  }

  /** Sends a masked text frame (clients must mask, RFC 6455 §5.3). */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads every frame until the server's close frame, the end of the stream, or a quiet spell. */
  public List<Frame> readAll(Duration quiet) throws IOException {
    socket.setReceiveBufferSize(1 << 20);
    socket.setSoTimeout((int) quiet.toMillis());
    List<Frame> frames = new ArrayList<>();
    try {
      while (true) {
        Frame frame = readFrame();
        frames.add(frame);
        if (frame.opcode() == 0x8) {
          return frames;
        }
      }
    } catch (EOFException end) {
      ended = true;
      return frames;
    } catch (SocketTimeoutException silence) {
      return frames;
    }
  }

  /** Whether a read reached the end of the stream: the server closed the connection. */
  public boolean ended() {
    return ended;
  }

  private Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the handshake");
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
