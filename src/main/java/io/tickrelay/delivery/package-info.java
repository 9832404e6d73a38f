/**
 * Ordered, non-blocking delivery of frames to one WebSocket session, shared by every endpoint
 * that pushes data: the client stream and the simulator.
 */
package io.tickrelay.delivery;
