/**
 * The cluster on Redis (issue 14): which node owns each upstream connection, fenced by a term that
 * Redis itself checks on every data-plane write. Plain Java on Lettuce, not wired into the gateway
 * yet: with no {@code TICKRELAY_CLUSTER_REDIS_URL} nothing here is created or loaded, so the
 * single-node gateway behaves exactly as before. Design: shared/reference/scaleout.md.
 */
package io.tickrelay.cluster;
