package io.tickrelay.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the image is kept correct by review and by these checks that the
 * Dockerfile still matches the build: what it copies exists, the WAR it expects is the one Maven
 * builds, and its port and health check are the server's. The server.xml it ships is the one every
 * integration test runs on.
 */
class DockerfileTest {

  private static final Path ROOT = Path.of("");

  private static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file));
  }

  @Test
  void copiedSourcesExistAndTheWarIsTheOneMavenBuilds() throws IOException {
    String dockerfile = read("Dockerfile");
    Matcher copy = Pattern.compile("(?m)^COPY (?:--chown=\\S+ )?(\\S+) ").matcher(dockerfile);
    int copies = 0;
    while (copy.find()) {
      if (copy.group(1).startsWith("--from=")) {
        continue; // from the build stage, checked below
      }
      copies++;
      assertTrue(Files.exists(ROOT.resolve(copy.group(1))), "Dockerfile copies a missing " + copy.group(1));
    }
    assertTrue(copies >= 4, "found the COPY lines: " + copies);
    Matcher finalName = Pattern.compile("<finalName>(\\S+)</finalName>").matcher(read("pom.xml"));
    assertTrue(finalName.find());
    assertTrue(dockerfile.contains("/src/target/" + finalName.group(1) + ".war /config/dropins/"),
        "the runtime stage takes the WAR Maven builds");
  }

  @Test
  void portAndHealthCheckAreTheServers() throws IOException {
    String dockerfile = read("Dockerfile");
    String server = read("server-config/server.xml");
    Matcher port = Pattern.compile("<variable name=\"HTTP_PORT\" defaultValue=\"(\\d+)\"/>").matcher(server);
    assertTrue(port.find());
    assertTrue(dockerfile.contains("EXPOSE " + port.group(1)), "EXPOSE matches server.xml's HTTP_PORT");
    assertTrue(dockerfile.contains("ENV HTTP_PORT=" + port.group(1)));
    // liveness, not readiness: an upstream outage must never get the container restarted
    assertTrue(dockerfile.contains("/health/live"), "HEALTHCHECK probes liveness");
    assertTrue(server.contains("<feature>mpHealth"), "the health feature is installed by features.sh");
    assertEquals(List.of("USER 1001"), dockerfile.lines().filter(l -> l.startsWith("USER ")).toList(),
        "runs as the unprivileged user");
  }
}
