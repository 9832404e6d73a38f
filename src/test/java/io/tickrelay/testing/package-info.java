/**
 * Test fixtures shared by component and integration tests: the in-process fake upstream, a probe
 * client, a real redis-server, and gateway nodes as processes from the runnable jar.
 */
package io.tickrelay.testing;
