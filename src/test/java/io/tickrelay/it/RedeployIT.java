package io.tickrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tickrelay.testing.Await;
import io.tickrelay.testing.FakeAlpaca;
import io.tickrelay.testing.WsProbe;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
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
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying the gateway leaves nothing behind: its upstream session is closed and none of its
 * transport threads survive in the server (read through the server's own JMX, which the Arquillian
 * adapter's localConnector-1.0 exposes).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DEPLOYMENT = "redeployed";
  private static final Path JMX_ADDRESS =
      Path.of("target/liberty-usr/servers/" + System.getProperty("tickrelay.it.server", "tickrelay-it")
              + "/logs/state/com.ibm.ws.jmx.local.address");

  private static FakeAlpaca upstream;

  @ArquillianResource Deployer deployer;

  @Deployment(name = DEPLOYMENT, managed = false, testable = false)
  static WebArchive deployment() {
    return ShrinkWrap.create(WebArchive.class, "tickrelay-redeploy.war")
        .merge(ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/tickrelay.war")));
  }

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = ItGateway.upstream(Set.of("*"));
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  /** Names of the server's threads that belong to the outbound WebSocket client. */
  private static List<String> transportThreads() throws Exception {
    JMXServiceURL url = new JMXServiceURL(Files.readString(JMX_ADDRESS).trim());
    try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(
          server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
      return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
          .filter(Objects::nonNull)
          .map(ThreadInfo::getThreadName)
          .filter(name -> name.toLowerCase(Locale.ROOT).contains("grizzly")
              || name.toLowerCase(Locale.ROOT).contains("tyrus"))
          .toList();
    }
  }

  @Test
  void undeployClosesTheUpstreamAndLeavesNoTransportThread() throws Exception {
    List<String> before = transportThreads();
    int sessionsBefore = upstream.simulator().sessions();
    deployer.deploy(DEPLOYMENT);
    Await.until("the redeployed gateway's upstream", WAIT, () -> upstream.simulator().sessions() == sessionsBefore + 1);
    int port = Integer.getInteger("tickrelay.it.http.port", 9080);
    try (WsProbe client = WsProbe.connect(URI.create("ws://localhost:" + port + "/v2/iex"))) {
      client.send("{\"action\":\"auth\",\"key\":\"it-client\",\"secret\":\"it-client-secret\"}");
      client.awaitText("authenticated", WAIT);
      client.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
      client.awaitText("\"T\":\"t\"", WAIT);
    }
    assertFalse(transportThreads().size() <= before.size(), "the check sees the client's threads while deployed");

    deployer.undeploy(DEPLOYMENT);
    Await.until("the upstream session closed by the undeploy", WAIT,
        () -> upstream.simulator().sessions() == sessionsBefore);
    Await.until("no transport thread left behind", WAIT, () -> {
      try {
        return transportThreads().size() <= before.size();
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(before.size(), transportThreads().size(), "left: " + transportThreads());
  }
}
