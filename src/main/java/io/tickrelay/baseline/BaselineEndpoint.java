package io.tickrelay.baseline;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;

/**
 * The baseline's client face at {@code /baseline/v2/{feed}}: just enough of Alpaca's handshake
 * (connected, authenticated, a subscription answer) for the benchmark's clients, no checks; after
 * its subscribe a client gets every upstream frame. Refuses everyone when the baseline is off.
 */
@Dependent
@ServerEndpoint("/baseline/v2/{feed}")
public class BaselineEndpoint {

  @Inject BaselineRelay relay;

  private BaselineClient client;

  @OnOpen
  public void open(Session session) throws IOException {
    if (!relay.enabled()) {
      session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "baseline disabled"));
      return;
    }
    client = new BaselineClient(session);
    client.send("[{\"T\":\"success\",\"msg\":\"connected\"}]");
  }

  @OnMessage
  public void text(String text) {
    if (client == null) {
      return;
    }
    if (text.contains("\"auth\"")) {
      client.send("[{\"T\":\"success\",\"msg\":\"authenticated\"}]");
    } else if (text.contains("\"subscribe\"")) {
      client.send("[{\"T\":\"subscription\",\"trades\":[\"*\"],\"quotes\":[],\"bars\":[]}]");
      relay.register(client);
    }
  }

  @OnClose
  public void close() {
    if (client != null) {
      relay.unregister(client);
    }
  }
}
