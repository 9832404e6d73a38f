package io.tickrelay.upstream;

import io.tickrelay.marketdata.DemandChanged;
import io.tickrelay.marketdata.Interest;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * One stream's upstream as an {@link UpstreamGate} drives it: {@link #open} brings up the stream's
 * connection group (kept warm or not, as the provider defines it) with the demand given, {@link
 * #want} replaces that demand whole, {@link #close} stops every connection of the stream at once
 * (the socket closed with 1000 before it returns). A closed stream holds nothing upstream; each
 * open starts a fresh group, so nothing of an earlier ownership (leases, split, rotation) lingers.
 */
public final class GatedStream {

  private final UpstreamDefinition definition;
  private final Supplier<ConnectionGroup> groups;
  private ConnectionGroup group; // guarded by this
  private Interest given = Interest.none(); // what the open group was told to hold
  private boolean ended; // the application stops: no open any more

  GatedStream(UpstreamDefinition definition, Supplier<ConnectionGroup> groups) {
    this.definition = definition;
    this.groups = groups;
  }

  /** A stream whose connections use this transport and tasks (tests outside the package). */
  public static GatedStream of(UpstreamDefinition definition, Transport transport, Tasks tasks,
      UpstreamListener listener, Clock clock) {
    return new GatedStream(definition, () -> new ConnectionGroup(definition,
        (d, settings, member) -> new UpstreamConnection(d.protocol(), settings, transport, tasks,
            member, clock),
        listener, clock, tasks));
  }

  public UpstreamDefinition definition() {
    return definition;
  }

  public String stream() {
    return definition.stream();
  }

  public synchronized boolean isOpen() {
    return group != null;
  }

  /** Holds the stream's upstream with {@code demand} (only schedules the connect; never blocks). */
  public synchronized void open(Interest demand) {
    if (ended) {
      return;
    }
    if (group == null) {
      group = groups.get();
      given = Interest.none();
      group.start();
    }
    want(demand);
  }

  /** Makes {@code demand} the stream's whole demand; nothing while closed. */
  public synchronized void want(Interest demand) {
    if (group == null) {
      return;
    }
    Interest added = demand.minus(given);
    Interest removed = given.minus(demand);
    given = demand;
    if (!added.isEmpty() || !removed.isEmpty()) {
      group.demand(new DemandChanged(stream(), added, removed));
    }
  }

  /** The demand the open stream holds (none while closed). */
  public synchronized Interest demand() {
    return group == null ? Interest.none() : given;
  }

  /** Stops every connection of the stream now; a later {@link #open} starts afresh. */
  public void close() {
    ConnectionGroup closing;
    synchronized (this) {
      closing = group;
      group = null;
      given = Interest.none();
    }
    if (closing != null) {
      closing.stop();
    }
  }

  /** Closes for good (the application stops): a gate's late {@link #open} does nothing. */
  public void end() {
    synchronized (this) {
      ended = true;
    }
    close();
  }

  List<UpstreamStatus> statuses() {
    ConnectionGroup current = current();
    return current == null ? List.of() : current.statuses();
  }

  List<UpstreamStatus> servingStatuses() {
    ConnectionGroup current = current();
    return current == null ? List.of() : current.servingStatuses();
  }

  private synchronized ConnectionGroup current() {
    return group;
  }
}
