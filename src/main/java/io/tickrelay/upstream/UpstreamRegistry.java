package io.tickrelay.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One upstream connection per {@link UpstreamKey}, shared by every consumer through reference
 * counted leases: the first lease creates and starts it, the last release stops it. Creation and
 * release are serialized, so concurrent consumers never produce a second connection for a key;
 * only a planned rotation ({@link #replace}) lets its replacement overlap the old one briefly.
 */
public final class UpstreamRegistry {

  private final Function<UpstreamKey, UpstreamConnection> factory;
  private final Map<UpstreamKey, Entry> entries = new LinkedHashMap<>();
  private int created;

  public UpstreamRegistry(Function<UpstreamKey, UpstreamConnection> factory) {
    this.factory = factory;
  }

  /** A share of one connection; {@link #release()} once, when the consumer no longer needs it. */
  public final class Lease implements AutoCloseable {
    private final UpstreamKey key;
    private final UpstreamConnection first;
    private final Entry owner;
    private boolean released;

    private Lease(UpstreamKey key, Entry owner) {
      this.key = key;
      this.owner = owner;
      this.first = owner.connection;
    }

    /** The key's connection now (a planned rotation may have replaced the first one). */
    public UpstreamConnection connection() {
      synchronized (UpstreamRegistry.this) {
        Entry entry = entries.get(key);
        return entry == null ? first : entry.connection;
      }
    }

    public void release() {
      synchronized (UpstreamRegistry.this) {
        if (released) {
          return;
        }
        released = true;
        Entry entry = entries.get(key);
        if (entry == null || entry != owner) {
          return; // stopAll (shutdown) took it already, or it is a successor this lease never shared
        }
        if (--entry.leases > 0) {
          return;
        }
        entries.remove(key);
        // under the lock: the old connection is STOPPED and its close frame sent before a new
        // acquire can create its successor, so the two never overlap
        entry.connection.stop();
      }
    }

    @Override
    public void close() {
      release();
    }
  }

  private static final class Entry {
    UpstreamConnection connection;
    int leases;

    Entry(UpstreamConnection connection) {
      this.connection = connection;
    }
  }

  public synchronized Lease acquire(UpstreamKey key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      entry = new Entry(factory.apply(key));
      entries.put(key, entry);
      created++;
      entry.connection.start(); // only schedules the first connect
    }
    entry.leases++;
    return new Lease(key, entry);
  }

  /**
   * Planned rotation: {@code replacement} (started by the caller, live and subscribed) takes the
   * place of {@code current}, leases included. False, and nothing changes, if {@code current} is no
   * longer the key's connection; the caller then stops the replacement. The caller stops {@code
   * current} after a true.
   */
  public synchronized boolean replace(UpstreamKey key, UpstreamConnection current, UpstreamConnection replacement) {
    Entry entry = entries.get(key);
    if (entry == null || entry.connection != current) {
      return false;
    }
    entry.connection = replacement;
    return true;
  }

  public synchronized Optional<UpstreamConnection> connection(UpstreamKey key) {
    Entry entry = entries.get(key);
    return entry == null ? Optional.empty() : Optional.of(entry.connection);
  }

  public synchronized List<UpstreamConnection> connections() {
    List<UpstreamConnection> all = new ArrayList<>();
    entries.values().forEach(e -> all.add(e.connection));
    return all;
  }

  /** Connections ever created; with the registry's guarantee, at most one per key at a time. */
  public synchronized int created() {
    return created;
  }

  /** Connections that count: those whose handshake and authentication have both completed. */
  public long liveCount() {
    return connections().stream().filter(c -> c.status().live()).count();
  }

  /** Stops every connection regardless of leases (application shutdown). */
  public void stopAll() {
    List<UpstreamConnection> all;
    synchronized (this) {
      all = connections();
      entries.clear();
    }
    all.forEach(UpstreamConnection::stop);
  }
}
