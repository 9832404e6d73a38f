package io.tickrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One row per Alpaca error code (upstream-protocols.md §1.6). */
class FailureReactionTest {

  @Test
  void authFailedRetriesOnlySlowly() {
    assertEquals(FailureReaction.RECONNECT_SLOWLY, FailureReaction.forCode(402));
  }

  @Test
  void connectionLimitWaitsForTheSlot() {
    assertEquals(FailureReaction.WAIT_FOR_SLOT, FailureReaction.forCode(406));
  }

  @Test
  void insufficientSubscriptionMovesToTheNextFeed() {
    assertEquals(FailureReaction.NEXT_FEED, FailureReaction.forCode(409));
  }

  @Test
  void invalidSyntaxCarriesOn() {
    assertEquals(FailureReaction.CARRY_ON, FailureReaction.forCode(400));
  }

  @Test
  void alreadyAuthenticatedCarriesOn() {
    assertEquals(FailureReaction.CARRY_ON, FailureReaction.forCode(403));
  }

  @Test
  void symbolLimitCarriesOn() {
    assertEquals(FailureReaction.CARRY_ON, FailureReaction.forCode(405));
  }

  @Test
  void invalidSubscribeActionCarriesOn() {
    assertEquals(FailureReaction.CARRY_ON, FailureReaction.forCode(410));
  }

  @Test
  void authTimeoutReconnects() {
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(404));
  }

  @Test
  void slowClientReconnects() {
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(407));
  }

  @Test
  void internalErrorReconnects() {
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(500));
  }

  @Test
  void undocumentedCodesReconnect() {
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(408));
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(499));
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(0));
    assertEquals(FailureReaction.RECONNECT, FailureReaction.forCode(-1));
  }
}
