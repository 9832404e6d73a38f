package io.tickrelay.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** What one upstream connection needs to know; {@link #toString()} leaves the secret out. */
public record UpstreamSettings(
    String name,
    URI baseUrl,
    List<String> feeds,
    String keyId,
    String secret,
    Duration authTimeout,
    Backoff backoff,
    Duration connectionLimitWait) {

  public UpstreamSettings {
    feeds = List.copyOf(feeds);
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("at least one feed is needed");
    }
  }

  /** The stream URL for a stock feed: {@code {base}/v2/{feed}} (Alpaca docs, streaming-market-data). */
  URI feedUrl(String feed) {
    return URI.create(baseUrl + "/v2/" + feed);
  }

  @Override
  public String toString() {
    return "UpstreamSettings[name=" + name + ", baseUrl=" + baseUrl + ", feeds=" + feeds + "]";
  }
}
