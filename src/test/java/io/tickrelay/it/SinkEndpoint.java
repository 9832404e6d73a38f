package io.tickrelay.it;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** For {@link LibertyFramingProbe} only: answers every message with a small frame, nothing else. */
@ServerEndpoint("/it/sink")
public class SinkEndpoint {

  @OnMessage(maxMessageSize = 1 << 20)
  public void text(Session session, String text) throws java.io.IOException {
    session.getBasicRemote().sendText("{\"len\":" + text.length() + "}");
  }

  @OnMessage(maxMessageSize = 1 << 20)
  public void binary(Session session, byte[] bytes) throws java.io.IOException {
    session.getBasicRemote().sendText("{\"len\":" + bytes.length + "}");
  }

  /** The same frames, never answered: {@link LibertyFramingProbe} with {@code -Dprobe.quiet=true}. */
  @ServerEndpoint("/it/sink-quiet")
  public static class Quiet {

    @OnMessage(maxMessageSize = 1 << 20)
    public void text(Session session, String text) {
      // read and dropped: the probe asks with a ping whether the reader kept step
    }

    @OnMessage(maxMessageSize = 1 << 20)
    public void binary(Session session, byte[] bytes) {
      // read and dropped
    }
  }
}
