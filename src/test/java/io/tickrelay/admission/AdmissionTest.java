package io.tickrelay.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickrelay.testing.Await;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admission policy on its own: caps, deadlines, throttles and the claim-versus-release race. */
class AdmissionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final AtomicLong nanos = new AtomicLong();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private Admission admission(int max, Duration authTimeout, int perKey, int perAddress, int unauthenticated) {
    return admission(max, authTimeout, perKey, perAddress, 100, unauthenticated);
  }

  private Admission admission(int max, Duration authTimeout, int perKey, int perAddress,
      int perKeyTotal, int unauthenticated) {
    return new Admission(new Admission.Limits(max, authTimeout, perKey, perAddress, perKeyTotal,
        Duration.ofMinutes(1), unauthenticated, Duration.ofSeconds(1)), scheduler, nanos::get);
  }

  @Test
  void theCapCountsEverySocketUntilReleased() {
    Admission admission = admission(2, Duration.ofHours(1), 10, 10, 10);
    Slot a = admission.connect(null, () -> {});
    Slot b = admission.connect(null, () -> {});
    Slot c = admission.connect(null, () -> {});
    assertNull(a.refusal());
    assertNull(b.refusal());
    assertEquals(Refusal.CONNECTION_CAP, c.refusal());
    assertEquals(1, admission.refusals().get(Refusal.CONNECTION_CAP));
    admission.release(c);
    assertEquals(2, admission.open(), "a refused slot held nothing");
    assertTrue(admission.release(a));
    assertFalse(admission.release(a), "released once");
    assertEquals(1, admission.open());
    assertNull(admission.connect(null, () -> {}).refusal());
  }

  @Test
  void unauthenticatedSocketsAreCappedPerAddressUntilTheyAuthenticate() {
    Admission admission = admission(100, Duration.ofHours(1), 10, 10, 2);
    Slot first = admission.connect("10.0.0.1", () -> {});
    admission.connect("10.0.0.1", () -> {});
    assertEquals(Refusal.UNAUTHENTICATED_CAP, admission.connect("10.0.0.1", () -> {}).refusal());
    assertNull(admission.connect("10.0.0.2", () -> {}).refusal(), "another address is not held up");
    assertEquals(Admission.Claim.GRANTED, admission.claim(first, "key", 5));
    assertNull(admission.connect("10.0.0.1", () -> {}).refusal(), "an authenticated one no longer counts");
    assertEquals(1, admission.refusals().get(Refusal.UNAUTHENTICATED_CAP));
  }

  @Test
  void theDeadlineSurvivesFailedAttemptsAndOnlyASuccessfulClaimCancelsIt() {
    Admission admission = admission(100, Duration.ofMillis(200), 10, 10, 10);
    AtomicInteger timedOut = new AtomicInteger();
    Slot failing = admission.connect(null, timedOut::incrementAndGet);
    admission.authFailed(failing, "nobody");
    Slot atLimit = admission.connect(null, timedOut::incrementAndGet);
    Slot holder = admission.connect(null, () -> {});
    assertEquals(Admission.Claim.GRANTED, admission.claim(holder, "one", 1));
    assertEquals(Admission.Claim.AT_LIMIT, admission.claim(atLimit, "one", 1));
    Slot granted = admission.connect(null, timedOut::incrementAndGet);
    assertEquals(Admission.Claim.GRANTED, admission.claim(granted, "two", 1));
    Slot released = admission.connect(null, timedOut::incrementAndGet);
    admission.release(released);
    Await.until("the two unauthenticated sockets to time out", WAIT, () -> timedOut.get() == 2);
    assertEquals(2, admission.refusals().get(Refusal.AUTH_TIMEOUT));
    assertEquals(1, admission.refusals().get(Refusal.CREDENTIAL_CAP));
  }

  @Test
  void failuresThrottleTheKeyAndTheAddressForTheWindow() {
    Admission admission = admission(100, Duration.ofHours(1), 3, 5, 100);
    Slot here = admission.connect("10.0.0.1", () -> {});
    for (int i = 0; i < 3; i++) {
      assertFalse(admission.throttled(here, "guessed"));
      admission.authFailed(here, "guessed");
    }
    assertTrue(admission.throttled(here, "guessed"), "the key from here after 3 failures");
    Slot elsewhere = admission.connect("10.0.0.9", () -> {});
    assertFalse(admission.throttled(elsewhere, "guessed"), "the key from its owner's address");
    assertFalse(admission.throttled(here, "other"), "another key from here, below the address limit");
    admission.authFailed(here, "other");
    admission.authFailed(here, "third");
    assertTrue(admission.throttled(here, "fourth"), "the address after 5 failures");
    assertFalse(admission.throttled(elsewhere, "fourth"), "not another address");
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    assertFalse(admission.throttled(here, "guessed"), "the window passed");
    assertEquals(2, admission.refusals().get(Refusal.AUTH_THROTTLED));
  }

  /**
   * Guessing one key from many addresses: past the key's total, every address that failed with
   * the key is refused unheard, each after its first failure, while an address that never failed
   * with it (the owner's) is still heard.
   */
  @Test
  void aKeyFailingEverywhereIsRefusedToTheGuessersButNotToItsOwner() {
    Admission admission = admission(100, Duration.ofHours(1), 3, 50, 5, 100);
    for (int i = 0; i < 5; i++) {
      Slot guesser = admission.connect("10.0.1." + i, () -> {});
      assertFalse(admission.throttled(guesser, "owned"));
      admission.authFailed(guesser, "owned");
    }
    assertTrue(admission.throttled(admission.connect("10.0.1.0", () -> {}), "owned"),
        "a guesser, past the key's total");
    Slot fresh = admission.connect("10.0.2.1", () -> {});
    assertFalse(admission.throttled(fresh, "owned"), "an address with no failure is heard once");
    admission.authFailed(fresh, "owned");
    assertTrue(admission.throttled(fresh, "owned"), "and then refused");
    assertFalse(admission.throttled(admission.connect("10.0.0.1", () -> {}), "owned"),
        "the owner's address");
    assertFalse(admission.throttled(admission.connect("10.0.1.0", () -> {}), "another"),
        "another key from a guesser's address");
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    assertFalse(admission.throttled(fresh, "owned"), "the window passed");
  }

  @Test
  void requestsWithoutASlotAreThrottledByTheSameCounts() {
    Admission admission = admission(100, Duration.ofHours(1), 2, 50, 100, 100);
    Slot socket = admission.connect("10.0.0.1", () -> {});
    admission.authFailed(socket, "shared");
    admission.authFailed("10.0.0.1", "shared"); // a publish request from the same address
    assertTrue(admission.throttled("10.0.0.1", "shared"));
    assertTrue(admission.throttled(socket, "shared"));
    assertFalse(admission.throttled("10.0.0.2", "shared"));
    assertEquals(2, admission.refusals().get(Refusal.AUTH_THROTTLED));
  }

  @Test
  void aReleaseRacingAClaimNeverLeavesACount() throws Exception {
    Admission admission = admission(100_000, Duration.ofHours(1), 10, 10, 100_000);
    var pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 20_000; i++) {
        Slot slot = admission.connect("10.0.0.1", () -> {});
        CountDownLatch go = new CountDownLatch(1);
        var claim = pool.submit(() -> {
          go.await();
          return admission.claim(slot, "key", 1_000_000);
        });
        var release = pool.submit(() -> {
          go.await();
          return admission.release(slot);
        });
        go.countDown();
        claim.get(10, TimeUnit.SECONDS);
        assertTrue(release.get(10, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, admission.holding("key"));
    assertEquals(0, admission.open());
    assertEquals(0, admission.unauthenticated("10.0.0.1"));
  }

  /**
   * A cancelled deadline may stay with the scheduler: Open Liberty's managed scheduler keeps every
   * task it was given in its list of futures until its next purge (every 20th schedule), and the
   * task with it. What the timeout would have done, and the client it closes over, must not stay
   * too: the churn bench found closed clients, each with its container session, kept that way
   * (docs/BENCHMARKS.md, "Memory under churn").
   */
  @Test
  void aCancelledDeadlineNoLongerHoldsWhatItWouldHaveDone() {
    KeepingScheduler keeping = new KeepingScheduler();
    try {
      Admission admission = new Admission(Admission.Limits.of(100, Duration.ofHours(1),
          Duration.ofSeconds(1)), keeping, nanos::get);
      List<WeakReference<Object>> clients = new ArrayList<>();
      Slot granted = admission.connect(null, timeoutOf(clients));
      Slot released = admission.connect(null, timeoutOf(clients));
      assertEquals(Admission.Claim.GRANTED, admission.claim(granted, "key", 5));
      assertTrue(admission.release(released));
      assertEquals(2, keeping.kept.size(), "the scheduler still holds both cancelled tasks");
      Await.until("the clients of both cancelled deadlines to be collected", WAIT, () -> {
        System.gc();
        return clients.stream().allMatch(c -> c.get() == null);
      });
    } finally {
      keeping.shutdownNow();
    }
  }

  /** An auth timeout that closes over a client object, which only the test's weak reference sees. */
  private static Runnable timeoutOf(List<WeakReference<Object>> clients) {
    Object client = new byte[1024];
    clients.add(new WeakReference<>(client));
    return () -> client.hashCode();
  }

  /** A scheduler that, as Liberty's managed one between purges, keeps every task it was given. */
  private static final class KeepingScheduler extends ScheduledThreadPoolExecutor {
    final List<Runnable> kept = new CopyOnWriteArrayList<>();

    KeepingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      kept.add(task);
      return super.schedule(task, delay, unit);
    }
  }
}
