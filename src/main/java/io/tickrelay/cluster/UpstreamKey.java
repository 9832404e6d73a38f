package io.tickrelay.cluster;

import java.util.Objects;

/**
 * One upstream connection the cluster gives exactly one owner: a provider, an account and a stream
 * path. Every Redis key of one account carries the hash tag {@code {provider:account}}, so one Lua
 * script may touch the lease, the term and the logs of all its streams atomically, also on Redis
 * Cluster, which hashes only the part inside the first braces (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 *
 * <p>The account is an identifier (a key id or a digest of it), never a secret: it is visible in
 * Redis to anyone who can read the keys.
 */
public record UpstreamKey(String provider, String account, String stream) {

  public UpstreamKey {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(stream, "stream");
    if (provider.isEmpty() || account.isEmpty() || stream.isEmpty()) {
      throw new IllegalArgumentException("provider, account and stream must not be empty");
    }
  }

  /** {@code {provider:account}}, braces and percent signs in the parts percent-encoded. */
  public String hashTag() {
    return "{" + escape(provider) + ":" + escape(account) + "}";
  }

  /** The lease: {@code "<node token>|<term>"} while an owner holds it, absent otherwise. */
  public String ownerKey() {
    return "tr:" + hashTag() + ":owner:" + escape(stream);
  }

  /** The term counter, the fencing token: only ever incremented, never expires. */
  public String termKey() {
    return "tr:" + hashTag() + ":term:" + escape(stream);
  }

  /**
   * When the current holder took the lease: {@code "<node token>|<term>|<Redis time in ms>"},
   * written by each acquire, read for status (valid only while it names the owner key's holder).
   */
  public String sinceKey() {
    return "tr:" + hashTag() + ":since:" + escape(stream);
  }

  /** The capped Redis Stream the owner appends the stream's events to. */
  public String logKey() {
    return "tr:" + hashTag() + ":log:" + escape(stream);
  }

  /**
   * The log's numbering: a hash with the epoch ({@code e}) and the last sequence number given out
   * ({@code s}), written only by the append script, in the same step as the entry.
   */
  public String metaKey() {
    return "tr:" + hashTag() + ":meta:" + escape(stream);
  }

  /** Where a release is announced, so standbys need not wait for their next try. */
  public String eventsChannel() {
    return "tr:" + hashTag() + ":events:" + escape(stream);
  }

  /** The live nodes serving this stream: a sorted set scored by each node's expiry (ms). */
  public String nodesKey() {
    return "tr:" + hashTag() + ":nodes:" + escape(stream);
  }

  /** One node's demand on this stream: a set of subscription names that expires without heartbeats. */
  public String wantKey(String node) {
    return "tr:" + hashTag() + ":want:" + escape(stream) + ":" + escape(node);
  }

  /** Where a node announces that its demand changed, so the owner reconciles at once. */
  public String demandChannel() {
    return "tr:" + hashTag() + ":demand:" + escape(stream);
  }

  private static String escape(String part) {
    return part.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
  }
}
