/**
 * Alpaca's market-data stream protocol as an {@link io.tickrelay.upstream.UpstreamProtocol}: URLs,
 * the connected/auth/authenticated conversation, subscription requests and their full-state acks,
 * and the table of Alpaca error codes (upstream-protocols.md §1).
 */
package io.tickrelay.alpaca;
