/**
 * What operators see: the JSON status resource ({@code GET /api/v1/ws/status}) and the {@code
 * tickrelay_} metrics, both read from the upstream and distribution sides, which never read this.
 */
package io.tickrelay.status;
