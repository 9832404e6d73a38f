package io.tickrelay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The test Redis does what cluster tests rely on: answers, freezes, dies and comes back on its port. */
class RedisServerTest {

  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Duration LONG = Duration.ofSeconds(5);

  @Test
  void answersOnItsOwnPortWithoutPersistence() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      assertTrue(redis.answersPing(LONG));
      assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
      assertEquals("OK", redis.command(LONG, "SET", "k", "v"));
      assertEquals("v", redis.command(LONG, "GET", "k"));
      assertEquals("appendonly\nno", redis.command(LONG, "CONFIG", "GET", "appendonly"));
      assertEquals("maxmemory-policy\nnoeviction",
          redis.command(LONG, "CONFIG", "GET", "maxmemory-policy"));
    }
  }

  @Test
  void twoServersGetTwoPorts() throws Exception {
    try (RedisServer one = RedisServer.start(); RedisServer two = RedisServer.start()) {
      assertNotEquals(one.port(), two.port());
      one.command(LONG, "SET", "k", "one");
      assertNull(two.command(LONG, "GET", "k"));
    }
  }

  @Test
  void pauseFreezesWithoutClosingAndResumeAnswersAgain() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      redis.pause();
      assertTrue(redis.isAlive(), "a stopped process is still alive");
      assertFalse(redis.answersPing(SHORT), "a paused server must not answer");
      redis.resume();
      assertTrue(redis.answersPing(LONG));
    }
  }

  @Test
  void killThenRestartOnTheSamePortComesBackEmpty() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      int port = redis.port();
      long pid = redis.pid();
      redis.command(LONG, "SET", "k", "v");
      redis.kill();
      assertFalse(redis.isAlive());
      assertConnectionRefused(redis);

      redis.restart();
      assertEquals(port, redis.port());
      assertNotEquals(pid, redis.pid());
      assertNull(redis.command(LONG, "GET", "k"), "no persistence: the data is gone");
    }
  }

  @Test
  void aPersistentServerKeepsAcknowledgedWritesThroughKillNine() throws Exception {
    try (RedisServer redis = RedisServer.startPersistent()) {
      redis.command(LONG, "SET", "k", "v");
      redis.restart(); // SIGKILL, then a new process reading the append-only file
      assertEquals("v", redis.command(LONG, "GET", "k"));
    }
  }

  @Test
  void restartOfAPausedServerWorks() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      redis.pause();
      redis.restart(); // SIGKILL reaches a stopped process too
      assertTrue(redis.answersPing(LONG));
    }
  }

  private static void assertConnectionRefused(RedisServer redis) {
    try {
      redis.command(SHORT, "PING");
      throw new AssertionError("a killed server answered");
    } catch (ConnectException expected) {
      // nothing listens on the port any more
    } catch (java.io.IOException other) {
      throw new AssertionError("expected a refused connection, got " + other, other);
    }
  }
}
