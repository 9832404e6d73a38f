/**
 * Alpaca's market-data stream protocol (upstream-protocols.md §1): message shapes, error codes and
 * the JSON and msgpack wire formats. It is the gateway's client-facing contract and the dialect of
 * its first upstream, so both sides and the simulator speak it through this package.
 */
package io.tickrelay.protocol;
