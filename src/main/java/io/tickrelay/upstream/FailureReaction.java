package io.tickrelay.upstream;

/** What a connection does about a failure; the rows that choose one are in {@link ErrorStrategies}. */
public enum FailureReaction {
  /** Reconnect after the usual backoff. */
  RECONNECT,
  /** Retrying will not help until something outside changes: ERROR state, retry only at the cap. */
  RECONNECT_SLOWLY,
  /** Someone else holds the account's one slot: wait, then retry. */
  WAIT_FOR_SLOT,
  /** The plan lacks this feed: move to the next feed in the preference list. */
  NEXT_FEED,
  /** The provider throttles us (HTTP 429/503 on the handshake): back off with a higher floor. */
  THROTTLED,
  /** The provider cut us off for reading too slowly: count it, then reconnect. */
  RECONNECT_COUNTED,
  /** A subscription request was refused as a whole: keep the previous set, tell the clients. */
  REJECT_REQUEST,
  /** A channel is not offered on this feed: stop asking for it there, report it. */
  DROP_CHANNEL,
  /** Concerns one message, not the connection: log and carry on. */
  CARRY_ON,
  /**
   * The server announced it is going away (Binance {@code serverShutdown}): bring up a replacement
   * now, make-before-break, as at the maximum session age; the session stays until replaced.
   */
  ROTATE
}
