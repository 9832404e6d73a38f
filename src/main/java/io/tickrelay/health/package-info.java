/**
 * MicroProfile Health checks: liveness reflects the gateway's own internals only, readiness
 * whether every upstream connection is authenticated.
 */
package io.tickrelay.health;
