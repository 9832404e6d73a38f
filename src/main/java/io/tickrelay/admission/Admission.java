package io.tickrelay.admission;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The one admission policy of every client-facing hub: who gets a socket (the global cap, and a
 * cap on unauthenticated sockets per remote address), how long a socket may stay unauthenticated
 * (a deadline that only a successful authentication cancels, however earlier attempts failed),
 * which authentication attempts are refused unheard (too many failures of the key from that
 * address, or from the address, lately), and how many connections a credential holds across all
 * hubs. Everything is
 * decided under one lock, so a socket's release and its authentication never interleave: a slot
 * released first is never counted for a credential afterwards.
 */
public final class Admission {

  private static final Logger LOG = Logger.getLogger(Admission.class.getName());
  /** Keys whose failures are remembered at most; beyond it only addresses are throttled. */
  private static final int MAX_TRACKED = 10_000;

  /**
   * @param maxConnections client sockets held at once by every hub together, authenticated or not
   * @param authTimeout how long a socket may stay without a successful authentication
   * @param authFailuresPerKey failed authentications of one key from one remote address within
   *     the window before further attempts with that key from there are refused without checking
   *     the secret. Per address, not per key alone: key ids are not secret, and a key throttled
   *     everywhere would let anyone lock its owner out by sending wrong secrets
   * @param authFailuresPerAddress failed authentications of any key from one remote address; 0:
   *     no throttle per address (every client behind one proxy shares its address)
   * @param authFailuresPerKeyTotal failed authentications of one key from every address together
   *     before the key is refused unheard from each address that failed with it in the window;
   *     an address that did not (its owner's) is still heard. It bounds guessing one key from many
   *     addresses; 0: no such limit
   * @param authFailureWindow the window those failures are counted in
   * @param unauthenticatedPerAddress sockets one remote address may hold before authenticating;
   *     0: no such cap
   * @param closeGrace how long a socket being closed gets to take its last frame before it is
   *     aborted; the hubs give back its slot and count at once, not after the grace
   */
  public record Limits(
      int maxConnections,
      Duration authTimeout,
      int authFailuresPerKey,
      int authFailuresPerAddress,
      int authFailuresPerKeyTotal,
      Duration authFailureWindow,
      int unauthenticatedPerAddress,
      Duration closeGrace) {

    /** The given cap, timeout and grace with the default throttles. */
    public static Limits of(int maxConnections, Duration authTimeout, Duration closeGrace) {
      return new Limits(
          maxConnections, authTimeout, 10, 100, 100, Duration.ofMinutes(1), 100, closeGrace);
    }
  }

  /** What became of an authentication's claim on the credential's connection count. */
  public enum Claim {
    GRANTED,
    /** The credential holds its limit already; nothing changed. */
    AT_LIMIT,
    /** The socket was released meanwhile; nothing is counted for it. */
    RELEASED
  }

  private final Limits limits;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final Refusals refusals = new Refusals();
  private final Map<String, Integer> byCredential = new HashMap<>();
  private final Map<String, Integer> unauthenticatedByAddress = new HashMap<>();
  private final FailureWindows keyAtAddressFailures;
  private final FailureWindows addressFailures;
  private final FailureWindows keyFailures;
  private int open;

  public Admission(Limits limits, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
    this.limits = limits;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.keyAtAddressFailures =
        new FailureWindows(limits.authFailuresPerKey(), limits.authFailureWindow());
    this.addressFailures =
        new FailureWindows(limits.authFailuresPerAddress(), limits.authFailureWindow());
    this.keyFailures =
        new FailureWindows(limits.authFailuresPerKeyTotal(), limits.authFailureWindow());
  }

  public Limits limits() {
    return limits;
  }

  public Refusals refusals() {
    return refusals;
  }

  /**
   * A socket arrived from {@code address} (null when unknown): its slot, refused already (see
   * {@link Slot#refusal()}) when the gateway or the address holds too many. An admitted slot's
   * {@code onAuthTimeout} runs once the auth timeout passes without a successful authentication,
   * unless the slot was released first.
   */
  public Slot connect(String address, Runnable onAuthTimeout) {
    Slot slot = new Slot(address);
    synchronized (this) {
      if (open >= limits.maxConnections()) {
        slot.refuse(Refusal.CONNECTION_CAP);
      } else if (address != null && limits.unauthenticatedPerAddress() > 0
          && unauthenticatedByAddress.getOrDefault(address, 0) >= limits.unauthenticatedPerAddress()) {
        slot.refuse(Refusal.UNAUTHENTICATED_CAP);
      } else {
        open++;
        if (address != null) {
          unauthenticatedByAddress.merge(address, 1, Integer::sum);
        }
      }
    }
    if (slot.refusal() != null) {
      refusals.count(slot.refusal());
      return slot;
    }
    // the scheduled task holds the slot only; the slot drops the action when the deadline is
    // cancelled, so a cancelled task the scheduler keeps no longer reaches the client
    slot.onDeadline(() -> authDeadline(slot, onAuthTimeout));
    slot.deadline(scheduler.schedule(slot::deadlinePassed,
        limits.authTimeout().toMillis(), TimeUnit.MILLISECONDS));
    return slot;
  }

  private void authDeadline(Slot slot, Runnable onAuthTimeout) {
    synchronized (this) {
      if (slot.released() || slot.credentialKey() != null) {
        return;
      }
    }
    refusals.count(Refusal.AUTH_TIMEOUT);
    try {
      onAuthTimeout.run();
    } catch (RuntimeException e) { // a task boundary: the scheduler must not lose the failure
      LOG.warning(() -> "auth timeout handling failed: " + e);
    }
  }

  /**
   * Whether an authentication attempt with {@code key} on this slot is refused unheard: the key
   * failed too often from the slot's address, the address failed too often, or the key failed too
   * often everywhere and at least once from here, within the window. Counts the refusal.
   */
  public boolean throttled(Slot slot, String key) {
    return throttled(slot.address(), key);
  }

  /** The same for a request that holds no slot (the publish API), from {@code address}. */
  public boolean throttled(String address, String key) {
    long now = nanoTime.getAsLong();
    String keyAtAddress = keyAtAddress(key, address);
    boolean throttled;
    synchronized (this) {
      throttled = keyAtAddressFailures.exceeded(keyAtAddress, now)
          || (address != null && addressFailures.exceeded(address, now))
          || (keyFailures.exceeded(key, now) && keyAtAddressFailures.failed(keyAtAddress, now));
    }
    if (throttled) {
      refusals.count(Refusal.AUTH_THROTTLED);
    }
    return throttled;
  }

  /**
   * An authentication with {@code key} failed on this slot; the deadline stays. The hub counts
   * the refusal with its answer.
   */
  public void authFailed(Slot slot, String key) {
    authFailed(slot.address(), key);
  }

  /** The same for a request that holds no slot (the publish API), from {@code address}. */
  public void authFailed(String address, String key) {
    long now = nanoTime.getAsLong();
    synchronized (this) {
      keyAtAddressFailures.record(keyAtAddress(key, address), now);
      keyFailures.record(key, now);
      if (address != null) {
        addressFailures.record(address, now);
      }
    }
  }

  /** One name for a key tried from an address; an unknown address is one address of its own. */
  private static String keyAtAddress(String key, String address) {
    return (address == null ? "" : address) + '\n' + key; // no address contains a line break
  }

  /**
   * A successful authentication claims one of the credential's {@code limit} connections, for
   * every hub together; granted, it cancels the slot's deadline. A slot that holds a credential
   * already is refused by its hub before it gets here.
   */
  public Claim claim(Slot slot, String key, int limit) {
    Claim claim;
    synchronized (this) {
      int holding = byCredential.getOrDefault(key, 0);
      if (slot.released()) {
        claim = Claim.RELEASED;
      } else if (slot.credentialKey() != null) {
        throw new IllegalStateException("slot holds a credential already");
      } else if (holding >= limit) {
        claim = Claim.AT_LIMIT;
      } else {
        byCredential.put(key, holding + 1);
        slot.authenticated(key);
        leaveUnauthenticated(slot);
        claim = Claim.GRANTED;
      }
    }
    if (claim == Claim.GRANTED) {
      slot.cancelDeadline();
    } else if (claim == Claim.AT_LIMIT) {
      refusals.count(Refusal.CREDENTIAL_CAP);
    }
    return claim;
  }

  /** The socket is gone or being let go: gives back what it holds, once; false after the first. */
  public boolean release(Slot slot) {
    synchronized (this) {
      if (slot.released()) {
        return false;
      }
      slot.release();
      if (slot.refusal() != null) {
        return true; // it held nothing
      }
      open--;
      String key = slot.credentialKey();
      if (key != null) {
        byCredential.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
      } else {
        leaveUnauthenticated(slot);
      }
    }
    slot.cancelDeadline();
    return true;
  }

  private void leaveUnauthenticated(Slot slot) {
    if (slot.address() != null) {
      unauthenticatedByAddress.computeIfPresent(slot.address(), (a, n) -> n > 1 ? n - 1 : null);
    }
  }

  /** Sockets held by every hub together. */
  public synchronized int open() {
    return open;
  }

  /** Connections the credential holds across every hub. */
  public synchronized int holding(String key) {
    return byCredential.getOrDefault(key, 0);
  }

  /** Unauthenticated sockets of one address. */
  public synchronized int unauthenticated(String address) {
    return unauthenticatedByAddress.getOrDefault(address, 0);
  }

  /** Failures per name in a fixed window from the first failure; bounded in size. */
  private static final class FailureWindows {
    private final int max;
    private final long windowNanos;
    private final Map<String, long[]> windows = new HashMap<>(); // {start, failures}

    FailureWindows(int max, Duration window) {
      this.max = max;
      this.windowNanos = window.toNanos();
    }

    boolean exceeded(String name, long now) {
      return max > 0 && failures(name, now) >= max;
    }

    /** Whether {@code name} failed at all within its window, whatever the limit. */
    boolean failed(String name, long now) {
      return failures(name, now) > 0;
    }

    private long failures(String name, long now) {
      long[] window = windows.get(name);
      return window != null && now - window[0] < windowNanos ? window[1] : 0;
    }

    void record(String name, long now) {
      long[] window = windows.get(name);
      if (window == null || now - window[0] >= windowNanos) {
        if (window == null && windows.size() >= MAX_TRACKED) {
          windows.values().removeIf(w -> now - w[0] >= windowNanos);
          if (windows.size() >= MAX_TRACKED) {
            return; // under attack by many names: the address throttle still counts
          }
        }
        windows.put(name, new long[] {now, 1});
      } else {
        window[1]++;
      }
    }
  }
}
