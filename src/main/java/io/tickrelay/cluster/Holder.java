package io.tickrelay.cluster;

/** Who holds a lease, as stored in its owner key: {@code "<node token>|<term>"}. */
public record Holder(String node, long term) {

  /** The value the owner key holds for this node and term. */
  public String value() {
    return node + "|" + term;
  }

  /** Parses an owner key's value; null or empty (no owner) gives null. */
  static Holder parse(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    int bar = value.lastIndexOf('|');
    if (bar < 0) {
      throw new IllegalArgumentException("not a lease value: " + value);
    }
    return new Holder(value.substring(0, bar), Long.parseLong(value.substring(bar + 1)));
  }
}
