/**
 * Who may reach the gateway's HTTP surface at all, before any protocol: browser origins allowed to
 * open client WebSockets (cross-site WebSocket hijacking), and the operator credential for status.
 */
package io.tickrelay.access;
