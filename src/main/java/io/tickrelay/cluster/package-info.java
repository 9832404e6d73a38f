/**
 * The cluster on Redis (issue 14): which node owns each upstream connection, fenced by a term that
 * Redis itself checks on every data-plane write, and the data plane itself: the owner appends each
 * batch to a capped Redis Stream per upstream stream, numbered in Redis ({@link
 * io.tickrelay.cluster.FencedLog}, payloads by {@link io.tickrelay.cluster.EventCodec}), and every
 * node follows it ({@link io.tickrelay.cluster.LogReader}), told of every gap. Plain Java on
 * Lettuce, not wired into the gateway yet: with no {@code TICKRELAY_CLUSTER_REDIS_URL} nothing
 * here is created or loaded, so the single-node gateway behaves exactly as before. Design:
 * shared/reference/scaleout.md.
 */
package io.tickrelay.cluster;
