/**
 * The cluster on Redis (issue 14), control plane: which node owns each upstream connection
 * (provider, account, stream), fenced by a term that Redis itself checks on every data-plane
 * write, and every node's client demand, whose union the owner holds upstream. Design:
 * shared/reference/scaleout.md.
 *
 * <p>Wiring: {@link io.tickrelay.cluster.Cluster} is the {@link io.tickrelay.upstream.UpstreamGate}
 * of the upstream package. With no {@code TICKRELAY_CLUSTER_REDIS_URL} it does not govern, and the
 * gateway is the single node it always was: no Redis client, no thread, no series. With one, each
 * stream's upstream is a {@link io.tickrelay.upstream.GatedStream} that a {@link
 * io.tickrelay.cluster.ClusterNode} opens only while it holds the stream's {@link
 * io.tickrelay.cluster.Lease}, and closes when a renewal has not succeeded in time (before Redis can
 * give the lease to another node) or on an orderly stop, which releases the lease at once.
 *
 * <p>The data plane's parts exist but are not wired: the owner's fenced appends to a capped Redis
 * Stream per upstream stream, numbered in Redis ({@link io.tickrelay.cluster.FencedLog}, payloads
 * by {@link io.tickrelay.cluster.EventCodec}), and every node following it ({@link
 * io.tickrelay.cluster.LogReader}), told of every gap.
 * Until it lands, a node's clients receive data only while that node owns the upstream; the
 * clients of a non-owner node receive nothing from the owner (their demand does reach the owner's
 * upstream), and its readiness reports the upstream as not live.
 */
package io.tickrelay.cluster;
