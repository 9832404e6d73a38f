package io.tickrelay.it;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import java.io.File;
import java.time.Duration;
import java.util.Set;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** What every IT shares: the WAR Maven built, and the fake upstream on the port the build reserved. */
final class ItGateway {

  private ItGateway() {}

  /** The packaged WAR under the IT deployment name (not "tickrelay", so a dev server never clashes). */
  static WebArchive war() {
    return ShrinkWrap.create(WebArchive.class, "tickrelay-it.war")
        .merge(ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/tickrelay.war")));
  }

  /**
   * The fake Alpaca at {@code ws://localhost:{reserved port}/fake/it}, where the gateway looks, with
   * its REST history at {@code http://localhost:{reserved data port}}, where the backfill looks.
   */
  static FakeAlpaca upstream(Set<String> entitledFeeds) throws Exception {
    return FakeAlpaca.start(FakeAlpaca.settings(entitledFeeds),
        Integer.getInteger("tickrelay.it.upstream.port"), "it",
        Integer.getInteger("tickrelay.it.data.port", 0));
  }

  /**
   * A fake entitled to every feed, once the gateway's upstream has authenticated on it: the
   * gateway started before the fake and keeps retrying with backoff until it finds it.
   */
  static FakeAlpaca upstreamWithGatewayConnected() throws Exception {
    FakeAlpaca upstream = upstream(Set.of("*"));
    try {
      Await.until("the gateway's upstream to authenticate", Duration.ofSeconds(60),
          () -> upstream.simulator().peakConnections(FakeAlpaca.KEY) == 1);
    } catch (AssertionError | RuntimeException e) {
      upstream.close(); // else the reserved port stays taken for every IT class after this one
      throw e;
    }
    return upstream;
  }

  /**
   * Everything the IT server wrote: on Liberty messages.log, trace.log (down to FINE) and FFDC
   * files; on Payara the log the build names in {@code tickrelay.it.server.logs}.
   */
  static String serverLogs() {
    java.nio.file.Path logs = java.nio.file.Path.of(System.getProperty("tickrelay.it.server.logs",
        "target/liberty-usr/servers/" + System.getProperty("tickrelay.it.server", "tickrelay-it") + "/logs"));
    StringBuilder all = new StringBuilder();
    try (var files = java.nio.file.Files.walk(logs)) {
      for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        all.append(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return all.toString();
  }
}
