package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.RedisServer;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying a gateway with clustering on (issue 14) hands over and leaves nothing behind: the
 * lease is released at once (gone from Redis well before it could expire), the upstream session
 * closes, and no Lettuce thread survives in the server (read through the server's JMX, as {@link
 * RedeployIT} does; Liberty only, for the same reason).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClusterRedeployIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DEPLOYMENT = "cluster-redeployed";
  private static final String OWNER_KEY = "tr:{alpaca:fake-key}:owner:stocks";
  private static final Path JMX_ADDRESS =
      Path.of("target/liberty-usr/servers/" + System.getProperty("tickrelay.it.server", "tickrelay-it")
              + "/logs/state/com.ibm.ws.jmx.local.address");

  private static RedisServer redis;
  private static FakeAlpaca upstream;

  @ArquillianResource Deployer deployer;

  @Deployment(name = DEPLOYMENT, managed = false, testable = false)
  static WebArchive deployment() throws java.io.IOException {
    redis = RedisServer.start();
    JavaArchive config = ShrinkWrap.create(JavaArchive.class, "it-cluster-config.jar")
        .addAsManifestResource(new StringAsset("config_ordinal=500\n"
            + "tickrelay.cluster.redis-url=redis://127.0.0.1:" + redis.port() + "\n"
            + "tickrelay.cluster.node-id=it-redeployed\n"), "microprofile-config.properties");
    return ShrinkWrap.create(WebArchive.class, "tickrelay-cluster-redeploy.war")
        .merge(ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/tickrelay.war")))
        .addAsLibrary(config);
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstream(Set.of("*"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
    if (redis != null) {
      redis.close();
    }
  }

  private static List<String> lettuceThreads() throws Exception {
    JMXServiceURL url = new JMXServiceURL(Files.readString(JMX_ADDRESS).trim());
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(
          server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
      return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
          .filter(Objects::nonNull)
          .map(ThreadInfo::getThreadName)
          .filter(name -> name.toLowerCase(Locale.ROOT).contains("lettuce"))
          .toList();
    }
  }

  private static String owner() {
    try {
      return redis.command(Duration.ofSeconds(2), "GET", OWNER_KEY);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void undeployReleasesTheLeaseClosesTheUpstreamAndLeavesNoLettuceThread() throws Exception {
    assertEquals(List.of(), lettuceThreads(), "no Lettuce thread before the deploy");
    int sessionsBefore = upstream.simulator().sessions();
    deployer.deploy(DEPLOYMENT);
    Await.until("the clustered gateway owns the stock upstream and connected", WAIT,
        () -> owner() != null && upstream.simulator().sessions() == sessionsBefore + 1);
    assertTrue(owner().startsWith("it-redeployed~"), owner());
    assertFalse(lettuceThreads().isEmpty(), "the check sees Lettuce's threads while deployed");

    deployer.undeploy(DEPLOYMENT);
    long undeployed = System.nanoTime();
    // released, not expired: the lease would live 3 s after its last renewal
    Await.until("the lease released by the undeploy", Duration.ofSeconds(2), () -> owner() == null);
    System.out.println("ClusterRedeployIT: lease gone " + Duration.ofNanos(System.nanoTime() - undeployed)
        .toMillis() + " ms after the undeploy returned");
    Await.until("the upstream session closed by the undeploy", WAIT,
        () -> upstream.simulator().sessions() == sessionsBefore);
    Await.until("no Lettuce thread left behind", WAIT, () -> {
      try {
        return lettuceThreads().isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
  }
}
