package io.tickrelay.upstream;

import java.util.List;

/**
 * The feed preference chain of one connection: which feed is in use and why, the fall back after
 * a "plan lacks this feed" refusal, and the periodic re-probe of the preferred feed (a probe
 * connection starts at the preferred feed with {@link #startProbe()}; the fallen-back one hears of
 * its failure through {@link #probeFailed}). Guarded by the connection's lock.
 */
final class FeedChain {

  private final List<String> feeds;
  private int index;
  private int probeReturnIndex = -1;
  private String reason = "first choice";

  FeedChain(List<String> feeds) {
    this.feeds = List.copyOf(feeds);
  }

  String current() {
    return feeds.get(index);
  }

  List<String> all() {
    return feeds;
  }

  String reason() {
    return reason;
  }

  boolean onFallback() {
    return index > 0;
  }

  /** Live: a re-probe that got this far succeeded. */
  void live() {
    if (probeReturnIndex >= 0) {
      reason = "back on preferred feed " + current() + " after re-probe";
      probeReturnIndex = -1;
    }
  }

  /** Moves to the preferred feed for a probe, remembering where to come back to. */
  void startProbe() {
    probeReturnIndex = index;
    String from = current();
    index = 0;
    reason = "re-probing " + current() + " from " + from;
  }

  /** A probe of the preferred feed on a second connection failed: this one stays where it is. */
  void probeFailed(String why) {
    reason = feeds.get(0) + " re-probe failed (" + why + "), staying on " + current();
  }

  /**
   * The current feed was refused. True if there is another feed to try at once (the next one, or
   * the one a failed probe came from); false when every feed has been refused.
   */
  boolean refused() {
    if (probeReturnIndex >= 0) {
      index = probeReturnIndex;
      probeReturnIndex = -1;
      reason = feeds.get(0) + " still refused on re-probe (409), staying on " + current();
      return true;
    }
    if (index + 1 < feeds.size()) {
      String from = current();
      index++;
      reason = from + " refused (409 insufficient subscription), fell back";
      return true;
    }
    reason = "no feed in " + feeds + " is in the plan";
    return false;
  }
}
