/**
 * The gateway's own threads as supervised loops (agrona's Agent/AgentRunner): every loop catches at
 * its duty-cycle boundary, counts and reports failures, and a loop ended by an {@code Error} stays
 * visible, so liveness can say the gateway needs a restart. Neutral: no provider, no container.
 */
package io.tickrelay.supervision;
