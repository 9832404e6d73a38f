package io.tickrelay.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.supervision.GatewayLoops;
import io.tickrelay.supervision.LoopRunner;
import io.tickrelay.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** Liveness is DOWN while one of the gateway's own loops is dead (review M12), and says which. */
class LivenessLoopsTest {

  /** MicroProfile Health's builder without a server: the API's own response class. */
  @org.junit.jupiter.api.BeforeAll
  static void responses() {
    org.eclipse.microprofile.health.HealthCheckResponse.setResponseProvider(() -> new Builder());
  }

  private static final class Builder extends org.eclipse.microprofile.health.HealthCheckResponseBuilder {
    private String name;
    private Status status = Status.DOWN;
    private final java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();

    @Override public Builder name(String name) { this.name = name; return this; }
    @Override public Builder withData(String key, String value) { data.put(key, value); return this; }
    @Override public Builder withData(String key, long value) { data.put(key, value); return this; }
    @Override public Builder withData(String key, boolean value) { data.put(key, value); return this; }
    @Override public Builder up() { status = Status.UP; return this; }
    @Override public Builder down() { status = Status.DOWN; return this; }
    @Override public Builder status(boolean up) { status = up ? Status.UP : Status.DOWN; return this; }

    @Override
    public org.eclipse.microprofile.health.HealthCheckResponse build() {
      return new org.eclipse.microprofile.health.HealthCheckResponse(name, status, java.util.Optional.of(data));
    }
  }

  @Test
  void aLoopKilledByAnErrorTakesLivenessDown() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean stopped = new AtomicBoolean();
    LoopRunner loop = new LoopRunner("tickrelay-test-loop", () -> {
      if (go.await(10, TimeUnit.SECONDS)) {
        throw new OutOfMemoryError("injected");
      }
    }, stopped::get, () -> {});
    GatewayLivenessCheck check = new GatewayLivenessCheck();
    check.loops = new GatewayLoops();
    check.loops.register(loop);
    loop.start(Thread::new);
    try {
      assertEquals(Status.UP, check.call().getStatus());
      go.countDown();
      Await.until("liveness DOWN", Duration.ofSeconds(10), () -> check.call().getStatus() == Status.DOWN);
      Object died = check.call().getData().orElseThrow().get("tickrelay-test-loop.died");
      assertTrue(String.valueOf(died).contains("OutOfMemoryError"), String.valueOf(died));
    } finally {
      stopped.set(true);
    }
  }
}
