package io.tickrelay.cluster;

/**
 * The answer to a fenced append: accepted with the stream entry's id, or refused because the
 * caller's term is no longer the current one ({@code current}: who holds the lease now, null if
 * nobody).
 */
public record Appended(boolean accepted, String entryId, Holder current) {

  static Appended accepted(String entryId) {
    return new Appended(true, entryId, null);
  }

  static Appended refused(Holder current) {
    return new Appended(false, null, current);
  }
}
