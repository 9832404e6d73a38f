package io.tickrelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * An in-process REST provider on a free port (the JDK's HttpServer): answers each GET with what
 * the test's responder says and records every request, so a test can check what was asked (path,
 * query, headers) and how often.
 */
public final class FakeRest implements AutoCloseable {

  /** One request as the fake saw it; header names lower case. */
  public record Request(String path, Map<String, String> query, Map<String, String> headers) {}

  /** What to answer: status, JSON body and extra headers. */
  public record Reply(int status, String body, Map<String, String> headers) {
    public static Reply json(String body) {
      return new Reply(200, body, Map.of());
    }

    public static Reply status(int status, String body) {
      return new Reply(status, body, Map.of());
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Reply> responder = r -> Reply.status(404, "{\"message\":\"not found\"}");

  public FakeRest() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void respond(Function<Request, Reply> responder) {
    this.responder = responder;
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
      Request request = new Request(exchange.getRequestURI().getPath(), query(exchange.getRequestURI()), headers);
      requests.add(request);
      Reply reply = responder.apply(request);
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(name, value);
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
