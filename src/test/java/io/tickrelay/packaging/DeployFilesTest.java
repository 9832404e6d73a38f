package io.tickrelay.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/ is checked by reading it, as no container engine runs here (issue 14): the Compose file
 * and the Kubernetes manifests run three nodes of the project's image beside Redis, probe the
 * health paths on the port server-config/server.xml serves, take every secret from outside the
 * files, and name only settings the README documents.
 */
class DeployFilesTest {

  private static final Path COMPOSE = Path.of("deploy", "compose.yaml");
  private static final Path KUBERNETES = Path.of("deploy", "kubernetes");
  /** Settings whose values are secrets (or, for the key id, travel with one). */
  private static final Set<String> SECRET_SETTINGS = Set.of("APCA_API_KEY_ID", "APCA_API_SECRET_KEY",
      "TICKRELAY_CLIENTS", "TICKRELAY_PUBLISHERS", "TICKRELAY_OPERATOR_CREDENTIAL");
  /**
   * Settings deploy/ may name before README's configuration table lists them: issue 14's cluster
   * wiring adds the row for TICKRELAY_CLUSTER_REDIS_URL (drop it from here once it has).
   */
  private static final Set<String> ARRIVING = Set.of("TICKRELAY_CLUSTER_REDIS_URL");
  private static final Pattern FROM_ENVIRONMENT = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(:?[-?][^}]*)?}");

  @Test
  void composeRunsThreeNodesOfTheProjectImageOnRedisReadyOnHealthReady() throws Exception {
    Map<String, Object> services = map(compose(), "services");
    List<String> nodes = services.keySet().stream().filter(name -> !name.equals("redis")).toList();
    assertEquals(List.of("node1", "node2", "node3"), nodes);
    Map<String, Object> redis = map(services, "redis");
    assertTrue(((String) redis.get("image")).startsWith("redis:7"), "Redis 7: " + redis.get("image"));
    Set<String> hostPorts = new TreeSet<>();
    for (String name : nodes) {
      Map<String, Object> node = map(services, name);
      assertEquals(image(), node.get("image"), name);
      Map<String, Object> build = map(node, "build");
      assertTrue(Files.isRegularFile(COMPOSE.getParent().resolve((String) build.get("context"))
          .resolve((String) build.get("dockerfile"))), name + " builds the project's Dockerfile");
      Map<String, Object> env = map(node, "environment");
      assertEquals("redis://redis:6379", env.get("TICKRELAY_CLUSTER_REDIS_URL"), name);
      assertEquals("service_healthy", map(map(node, "depends_on"), "redis").get("condition"), name);

      int port = httpPort(env);
      List<?> probe = (List<?>) map(node, "healthcheck").get("test");
      assertEquals(List.of("CMD", "curl", "-fsS", "http://localhost:" + port + "/health/ready"), probe, name);
      List<?> ports = (List<?>) node.get("ports");
      assertEquals(1, ports.size(), name);
      String[] mapping = ((String) ports.get(0)).split(":");
      assertEquals(Integer.toString(port), mapping[1], name + " publishes the port the server serves");
      hostPorts.add(mapping[0]);
    }
    assertEquals(3, hostPorts.size(), "each node on its own host port: " + hostPorts);
  }

  @Test
  void composeTakesEverySecretFromTheEnvironmentOfComposeItself() throws Exception {
    Map<String, Object> services = map(compose(), "services");
    for (String name : List.of("node1", "node2", "node3")) {
      Map<String, Object> env = map(map(services, name), "environment");
      assertTrue(env.keySet().containsAll(List.of("APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "TICKRELAY_CLIENTS")),
          name + ": " + env.keySet());
      for (String setting : env.keySet()) {
        if (SECRET_SETTINGS.contains(setting)) {
          Matcher interpolation = FROM_ENVIRONMENT.matcher(String.valueOf(env.get(setting)));
          assertTrue(interpolation.matches(), name + ": " + setting + " must be ${" + setting + "}, not a value");
          assertEquals(setting, interpolation.group(1), name);
        }
      }
    }
  }

  @Test
  void kubernetesRunsThreeReplicasOfTheSameImageWithProbesOnHealthAndRedisBeside() throws Exception {
    Map<String, Object> deployment = manifest("Deployment", "tickrelay");
    Map<String, Object> spec = map(deployment, "spec");
    assertEquals(3, spec.get("replicas"));
    Map<String, Object> container = onlyContainer(deployment);
    assertEquals(image(), container.get("image"), "the image Compose builds");
    Map<String, Object> env = env(container);
    int port = httpPort(env);

    Map<String, Integer> named = new java.util.HashMap<>();
    for (Object p : (List<?>) container.get("ports")) {
      Map<String, Object> containerPort = cast(p);
      named.put((String) containerPort.get("name"), (Integer) containerPort.get("containerPort"));
    }
    assertEquals(port, named.get("http"), "the container port is the one server.xml serves");
    Map<String, String> probes = Map.of("startupProbe", "/health/started",
        "livenessProbe", "/health/live", "readinessProbe", "/health/ready");
    probes.forEach((probe, path) -> {
      Map<String, Object> get = map(map(container, probe), "httpGet");
      assertEquals(path, get.get("path"), probe);
      Object probePort = get.get("port");
      assertEquals(port, probePort instanceof String ? named.get(probePort) : probePort, probe);
    });

    Map<String, Object> service = manifest("Service", "tickrelay");
    assertEquals(map(map(spec, "selector"), "matchLabels"), map(service, "spec").get("selector"));
    Object targetPort = cast(((List<?>) map(service, "spec").get("ports")).get(0)).get("targetPort");
    assertEquals(port, targetPort instanceof String ? named.get(targetPort) : targetPort);

    // TICKRELAY_CLUSTER_REDIS_URL names the Redis Service and its port; Redis is the one Compose runs
    URI redisUrl = URI.create((String) map(env, "TICKRELAY_CLUSTER_REDIS_URL").get("value"));
    Map<String, Object> redisService = manifest("Service", redisUrl.getHost());
    assertEquals(redisUrl.getPort(), cast(((List<?>) map(redisService, "spec").get("ports")).get(0)).get("port"));
    Map<String, Object> redis = onlyContainer(manifest("Deployment", redisUrl.getHost()));
    assertEquals(map(map(compose(), "services"), "redis").get("image"), redis.get("image"));
    assertNotNull(redis.get("readinessProbe"), "Redis has a readiness probe");
  }

  @Test
  void kubernetesTakesEverySecretFromASecretAndShipsNone() throws Exception {
    Map<String, Object> env = env(onlyContainer(manifest("Deployment", "tickrelay")));
    assertTrue(env.keySet().containsAll(List.of("APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "TICKRELAY_CLIENTS")),
        env.keySet().toString());
    for (String setting : env.keySet()) {
      if (SECRET_SETTINGS.contains(setting)) {
        Map<String, Object> var = map(env, setting);
        assertNull(var.get("value"), setting + " must not be inline");
        Map<String, Object> ref = map(map(var, "valueFrom"), "secretKeyRef");
        assertEquals("tickrelay", ref.get("name"), setting);
        assertEquals(setting, ref.get("key"), setting);
      }
    }
    for (Map<String, Object> doc : manifests()) {
      assertFalse("Secret".equals(doc.get("kind")) || "ConfigMap".equals(doc.get("kind")),
          "no Secret or ConfigMap with values in deploy/: " + map(doc, "metadata").get("name"));
    }
  }

  @Test
  void everySettingDeployNamesIsInTheReadmesConfigurationTable() throws Exception {
    Set<String> named = new LinkedHashSet<>();
    Map<String, Object> services = map(compose(), "services");
    for (String name : List.of("node1", "node2", "node3")) {
      named.addAll(map(map(services, name), "environment").keySet());
    }
    named.addAll(env(onlyContainer(manifest("Deployment", "tickrelay"))).keySet());
    assertTrue(named.contains("TICKRELAY_CLUSTER_REDIS_URL"), named.toString());

    String readme = Files.readString(Path.of("README.md"));
    Set<String> documented = configurationTable(readme);
    assertTrue(documented.contains("HTTP_PORT") && documented.contains("APCA_API_SECRET_KEY"),
        "the table was read: " + documented);
    for (String setting : named) {
      if (ARRIVING.contains(setting)) {
        assertTrue(readme.contains(setting), setting + " is at least mentioned in README");
      } else {
        assertTrue(documented.contains(setting), setting + " is not in README's configuration table");
      }
    }
  }

  /** Every {@code `NAME`} in the first cell of the rows of README's "Configuration" table. */
  static Set<String> configurationTable(String readme) {
    int start = readme.indexOf("\n## Configuration");
    int end = readme.indexOf("\n## ", start + 1);
    Set<String> names = new TreeSet<>();
    Pattern code = Pattern.compile("`([A-Za-z0-9_]+)`");
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m = code.matcher(line.substring(0, line.indexOf('|', 1)));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /** The node's HTTP port: {@code HTTP_PORT} if the file sets it, else server.xml's default. */
  private static int httpPort(Map<String, Object> env) throws Exception {
    Object set = env.get("HTTP_PORT");
    if (set != null) {
      return Integer.parseInt(set instanceof Map ? String.valueOf(((Map<?, ?>) set).get("value")) : set.toString());
    }
    NodeList variables = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Path.of("server-config", "server.xml").toFile()).getElementsByTagName("variable");
    for (int i = 0; i < variables.getLength(); i++) {
      Element variable = (Element) variables.item(i);
      if (variable.getAttribute("name").equals("HTTP_PORT")) {
        return Integer.parseInt(variable.getAttribute("defaultValue"));
      }
    }
    throw new AssertionError("server.xml has no HTTP_PORT variable");
  }

  private static String image() throws IOException {
    String image = (String) map(map(compose(), "services"), "node1").get("image");
    assertEquals("tickrelay", image, "the image README's Docker section builds (docker build -t tickrelay .)");
    return image;
  }

  private static Map<String, Object> compose() throws IOException {
    return cast(yaml().load(Files.readString(COMPOSE)));
  }

  private static List<Map<String, Object>> manifests() throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(KUBERNETES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : yaml().loadAll(Files.readString(file))) {
          if (doc != null) {
            docs.add(cast(doc));
          }
        }
      }
    }
    return docs;
  }

  private static Map<String, Object> manifest(String kind, String name) throws IOException {
    for (Map<String, Object> doc : manifests()) {
      if (kind.equals(doc.get("kind")) && name.equals(map(doc, "metadata").get("name"))) {
        return doc;
      }
    }
    throw new AssertionError("no " + kind + " " + name + " in " + KUBERNETES);
  }

  private static Map<String, Object> onlyContainer(Map<String, Object> deployment) {
    List<?> containers = (List<?>) map(map(map(deployment, "spec"), "template"), "spec").get("containers");
    assertEquals(1, containers.size());
    return cast(containers.get(0));
  }

  /** A container's env as name to its entry ({@code value} or {@code valueFrom}). */
  private static Map<String, Object> env(Map<String, Object> container) {
    Map<String, Object> env = new java.util.LinkedHashMap<>();
    for (Object entry : (List<?>) container.get("env")) {
      Map<String, Object> var = cast(entry);
      env.put((String) var.get("name"), var);
    }
    return env;
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    assertNotNull(child, "missing " + key);
    return cast(child);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object node) {
    assertTrue(node instanceof Map, "a mapping: " + node);
    return (Map<String, Object>) node;
  }
}
