/**
 * The benchmark tool (issue 6), run by {@code mvn -Pbench verify}: an Alpaca-protocol trade driver
 * as the upstream, many Alpaca-protocol clients against any target URL, and the gateway process's
 * memory and CPU read from /proc. Not a test: nothing here runs in {@code mvn verify} but
 * {@code BenchClientTest}, a network-free check of the client's protocol and measurement.
 */
package io.tickrelay.bench;
