/** Test fixtures shared by component and integration tests: the in-process fake upstream and a probe client. */
package io.tickrelay.testing;
