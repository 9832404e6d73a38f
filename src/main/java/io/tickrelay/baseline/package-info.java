/**
 * The benchmark's baseline, off unless {@code tickrelay.bench.baseline=true}: the cheapest
 * forwarding the server stack allows (one upstream session, each frame sent unchanged to every
 * client), so the benchmark can report the gateway's figures as a ratio to it. Not a product path.
 */
package io.tickrelay.baseline;
