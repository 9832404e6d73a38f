package io.tickrelay.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the (secret-masked) logs of the {@link GatewayNode}s a test started when, and only when,
 * the test fails, so a failure in a multi-node test shows what each node said. Register it as an
 * instance field ({@code @RegisterExtension final NodeLogs logs = new NodeLogs();}) and hand it
 * every node: {@code logs.track(node)}.
 */
public final class NodeLogs implements TestWatcher {

  private static final int TAIL = 20_000;

  private final List<GatewayNode> nodes = new ArrayList<>();

  /** Watches {@code node} for this test and returns it. */
  public synchronized GatewayNode track(GatewayNode node) {
    nodes.add(node);
    return node;
  }

  @Override
  public synchronized void testFailed(ExtensionContext context, Throwable cause) {
    for (GatewayNode node : nodes) {
      System.out.println("---- log of gateway node " + node + " (last " + TAIL + " characters) ----");
      System.out.println(node.logTail(TAIL));
    }
    nodes.clear();
  }

  @Override
  public synchronized void testSuccessful(ExtensionContext context) {
    nodes.clear();
  }
}
