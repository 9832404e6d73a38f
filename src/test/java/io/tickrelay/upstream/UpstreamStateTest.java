package io.tickrelay.upstream;

import static io.tickrelay.upstream.UpstreamState.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The legal transitions of the connection state machine. */
class UpstreamStateTest {

  @Test
  void theHappyPathAndTheOrderlyWayDown() {
    assertTrue(DISCONNECTED.canMoveTo(CONNECTING));
    assertTrue(CONNECTING.canMoveTo(AUTHENTICATING));
    assertTrue(AUTHENTICATING.canMoveTo(CONNECTED));
    assertTrue(CONNECTED.canMoveTo(DISCONNECTING));
    assertTrue(DISCONNECTING.canMoveTo(DISCONNECTED));
  }

  @Test
  void failuresBackOffOrErrorAndComeBack() {
    for (UpstreamState s : new UpstreamState[] {CONNECTING, AUTHENTICATING, CONNECTED}) {
      assertTrue(s.canMoveTo(BACKING_OFF), s.name());
      assertTrue(s.canMoveTo(ERROR), s.name());
    }
    assertTrue(BACKING_OFF.canMoveTo(CONNECTING));
    assertTrue(ERROR.canMoveTo(CONNECTING));
  }

  @Test
  void noShortcutsToLive() {
    assertFalse(DISCONNECTED.canMoveTo(CONNECTED));
    assertFalse(CONNECTING.canMoveTo(CONNECTED), "live only after authenticated");
    assertFalse(BACKING_OFF.canMoveTo(CONNECTED));
    assertFalse(BACKING_OFF.canMoveTo(AUTHENTICATING));
  }

  @Test
  void everythingCanStopAndStoppedIsFinal() {
    for (UpstreamState s : values()) {
      if (s != STOPPED) {
        assertTrue(s.canMoveTo(STOPPED), s.name());
      }
      assertFalse(STOPPED.canMoveTo(s), s.name());
    }
  }
}
