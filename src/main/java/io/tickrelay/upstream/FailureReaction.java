package io.tickrelay.upstream;

import io.tickrelay.protocol.AlpacaError;

/**
 * What the connection does about an error the upstream reported; one row per Alpaca code
 * (upstream-protocols.md §1.6).
 */
enum FailureReaction {
  /** Reconnect after the usual backoff. */
  RECONNECT,
  /** Credentials are wrong: retry only at the backoff cap, never hammer. */
  RECONNECT_SLOWLY,
  /** Someone else holds the account's one slot: wait, then retry. */
  WAIT_FOR_SLOT,
  /** The plan lacks this feed: move to the next feed in the preference list. */
  NEXT_FEED,
  /** Concerns one request, not the connection: log and carry on. */
  CARRY_ON;

  static FailureReaction forCode(int code) {
    AlpacaError error = AlpacaError.ofCode(code);
    if (error == null) {
      return RECONNECT;
    }
    return switch (error) {
      case AUTH_FAILED -> RECONNECT_SLOWLY;
      case CONNECTION_LIMIT_EXCEEDED -> WAIT_FOR_SLOT;
      case INSUFFICIENT_SUBSCRIPTION -> NEXT_FEED;
      case INVALID_SYNTAX, ALREADY_AUTHENTICATED, SYMBOL_LIMIT_EXCEEDED, INVALID_SUBSCRIBE_ACTION ->
          CARRY_ON;
      default -> RECONNECT;
    };
  }
}
