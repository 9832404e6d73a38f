/**
 * The distribution side: the Alpaca-compatible client endpoint, client sessions and their
 * outboxes, and the subscription index whose union is the demand the upstream side serves.
 */
package io.tickrelay.distribution;
