package io.tickrelay.backfill;

import io.tickrelay.upstream.SafeUrl;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * JSON GETs against one provider's REST API for backfill: paced by the provider's {@link
 * RequestRate}, each bounded by the request timeout and the backfill's deadline, retried after a
 * 429, a 5xx or an I/O error with backoff and jitter, or after exactly the {@code Retry-After}
 * the provider asked for. Logs and errors show the provider and the path, never the query or a
 * header (the credentials travel in headers).
 */
public final class HistoryHttp {

  private static final Logger LOG = Logger.getLogger(HistoryHttp.class.getName());
  private static final int MAX_ERROR_BODY = 200;

  /** How a retry or a rate-limit wait passes: a sleep in the server, a clock step in tests. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  /** A 200 answer: its parsed body and its headers (Binance reports its used weight there). */
  public record Response(JsonValue body, HttpHeaders headers) {}

  private final String provider;
  private final HttpClient client;
  private final RequestRate rate;
  private final Pause pause;

  public HistoryHttp(String provider, HttpClient client, RequestRate rate, Pause pause) {
    this.provider = provider;
    this.client = client;
    this.rate = rate;
    this.pause = pause;
  }

  /** A client on the JDK's HttpClient whose callbacks run on {@code executor}; waits sleep. */
  public static HistoryHttp of(String provider, Executor executor, RequestRate rate) {
    HttpClient client = HttpClient.newBuilder()
        .executor(executor)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return new HistoryHttp(provider, client, rate, duration -> Thread.sleep(duration.toMillis()));
  }

  /**
   * GETs {@code uri} and returns its JSON body on 200.
   *
   * @param weight what the request costs in the provider's rate budget
   * @throws HistoryUnavailable {@code DEADLINE} when the answer (or a wait) would pass the
   *     deadline, {@code FAILED} on any other status or after the last retry
   */
  public Response getJson(ChannelFetch fetch, URI uri, Map<String, String> headers, int weight)
      throws HistoryUnavailable {
    String where = provider + " " + SafeUrl.of(uri);
    for (int attempt = 1; ; attempt++) {
      await(fetch, rate.reserve(weight), where, "rate limit");
      Duration timeout = min(fetch.limits().requestTimeout(), fetch.remaining());
      if (timeout.isZero()) {
        throw deadline(fetch, where + ": no time left for a request");
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
          .header("Accept", "application/json");
      headers.forEach(request::header);
      String failure;
      Duration retryAfter = null;
      try {
        HttpResponse<String> response = send(request.build(), timeout);
        int status = response.statusCode();
        if (status == 200) {
          return new Response(parse(response.body(), where), response.headers());
        }
        failure = "HTTP " + status + errorText(response.body());
        if (status != 429 && status < 500) {
          throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED, where + ": " + failure);
        }
        retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After"),
            fetch.clock().instant()).orElse(null);
      } catch (TimeoutException e) {
        failure = "no answer within " + timeout;
      } catch (IOException e) {
        failure = "I/O error (" + e.getClass().getSimpleName() + ")";
      }
      if (attempt > fetch.limits().retries()) {
        throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED,
            where + ": " + failure + ", gave up after " + attempt + " attempts");
      }
      Duration delay = retryAfter != null ? retryAfter
          : fetch.limits().backoff().delay(attempt, ThreadLocalRandom.current().nextDouble());
      String why = failure;
      int tried = attempt;
      LOG.fine(() -> where + ": " + why + "; retry " + tried + " in " + delay);
      await(fetch, delay, where, failure + (retryAfter != null ? ", Retry-After " + retryAfter : ""));
    }
  }

  private HttpResponse<String> send(HttpRequest request, Duration timeout)
      throws IOException, TimeoutException, HistoryUnavailable {
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      // the request timeout covers the headers only; this bounds the body as well
      return pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw e;
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED, provider + ": interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
        throw new TimeoutException("request timeout");
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  /** Waits {@code delay} unless that would pass the deadline. */
  private void await(ChannelFetch fetch, Duration delay, String where, String why)
      throws HistoryUnavailable {
    if (delay.isZero()) {
      return;
    }
    if (delay.compareTo(fetch.remaining()) >= 0) {
      throw deadline(fetch, where + ": " + why + "; waiting " + delay + " would pass the deadline");
    }
    try {
      pause.pause(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED, where + ": interrupted");
    }
  }

  private static HistoryUnavailable deadline(ChannelFetch fetch, String message) {
    fetch.deadlinePassed();
    return new HistoryUnavailable(ChannelRecovery.Outcome.DEADLINE, message);
  }

  private static JsonValue parse(String body, String where) throws HistoryUnavailable {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      return reader.readValue();
    } catch (JsonException e) {
      throw new HistoryUnavailable(ChannelRecovery.Outcome.FAILED, where + ": unreadable JSON");
    }
  }

  /** The start of an error body ({@code {"message":...}}, {@code {"code":..,"msg":..}}), one line. */
  private static String errorText(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String line = body.replaceAll("\\s+", " ").trim();
    return " " + (line.length() > MAX_ERROR_BODY ? line.substring(0, MAX_ERROR_BODY) + "..." : line);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
