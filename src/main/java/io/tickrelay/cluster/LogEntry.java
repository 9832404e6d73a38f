package io.tickrelay.cluster;

/**
 * One entry of a stream's log as a node reads it: its place in the cluster-wide numbering
 * ({@code epoch}, sequence numbers {@code seq} to {@code seq + count - 1}) and the decoded
 * payload, one of {@link EventCodec#PAYLOADS}.
 */
public record LogEntry(String epoch, long seq, int count, Object payload) {

  /** The last sequence number this entry covers. */
  public long last() {
    return seq + count - 1;
  }

  /** The Redis Stream entry id, {@code "<seq>-0"}. */
  public String id() {
    return seq + "-0";
  }
}
