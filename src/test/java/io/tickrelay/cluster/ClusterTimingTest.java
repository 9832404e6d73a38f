package io.tickrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default timing meets issue 14's bounds, and timings that could not are refused. */
class ClusterTimingTest {

  private static final ClusterTiming D = ClusterTiming.DEFAULT;

  @Test
  void theDefaultsMeetTheIssuesBounds() {
    // the owner stops counting on its lease a full renew interval before Redis lets it go
    assertEquals(Duration.ofSeconds(2), D.leaseTtl().minus(D.margin()));
    // a renewal that times out still leaves time for the next one before the owner stops
    assertTrue(D.renewInterval().plus(D.commandTimeout()).compareTo(D.leaseTtl().minus(D.margin())) < 0);
    // failover under 5 s: lease expiry and a standby's poll leave more than 1.5 s to connect upstream
    assertEquals(Duration.ofMillis(3250), D.takeoverBound());
    assertTrue(D.takeoverBound().plusMillis(1500).compareTo(Duration.ofSeconds(5)) < 0);
    // a demand change reaches the owner in under a second
    assertEquals(Duration.ofMillis(500), D.demandChangeBound());
    // a dead node's demand leaves within 30 s
    assertEquals(Duration.ofMillis(11250), D.deadDemandBound());
    assertTrue(D.deadDemandBound().compareTo(Duration.ofSeconds(30)) < 0);
  }

  @Test
  void timingsThatCannotHoldAreRefused() {
    // a TTL of twice the renewal leaves no room for a command timeout
    assertThrows(IllegalArgumentException.class, () -> new ClusterTiming(Duration.ofSeconds(2),
        Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(10)));
    assertThrows(IllegalArgumentException.class, () -> new ClusterTiming(Duration.ofSeconds(3),
        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(10)));
    assertThrows(IllegalArgumentException.class, () -> new ClusterTiming(Duration.ofSeconds(3),
        Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(2)));
  }

  @Test
  void demandTravelsThroughRedisAsChannelAndSymbolAndBack() {
    Interest interest = Interest.of(Map.of(Channel.TRADES, List.of("AAPL", "*"),
        Channel.QUOTES, List.of("BTC/USD")));
    Set<String> members = StreamClaim.encode(interest);
    assertEquals(Set.of("TRADES:AAPL", "TRADES:*", "QUOTES:BTC/USD"), members);
    assertEquals(interest, StreamClaim.decode(members));
    assertEquals(Interest.of(Channel.TRADES, "AAPL"),
        StreamClaim.decode(Set.of("TRADES:AAPL", "FUTURE_CHANNEL:X", "garbage")));
  }

  @Test
  void aNodesNameIsItsTokenWithoutTheRandomPart() {
    assertEquals("node-a", ClusterNode.name("node-a~0a1b2c3d4e5f"));
    assertEquals("plain", ClusterNode.name("plain"));
  }
}
