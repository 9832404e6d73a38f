package io.tickrelay.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Client messages end up in logs; the secret must not. */
class ClientMessageTest {

  @Test
  void authToStringHidesTheSecret() {
    String text = new ClientMessage.Auth("PKTEST", "hunter2-very-secret").toString();
    assertFalse(text.contains("hunter2"), text);
    assertTrue(text.contains("PKTEST"), text);
  }
}
