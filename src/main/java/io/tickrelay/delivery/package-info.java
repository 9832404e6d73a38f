/**
 * Ordered, non-blocking delivery of frames to one WebSocket session: {@link
 * io.tickrelay.delivery.ClientOutbox} with the client stream's slow-consumer policy (conflation,
 * 407), and the plain {@link io.tickrelay.delivery.Outbox} the simulator uses.
 */
package io.tickrelay.delivery;
