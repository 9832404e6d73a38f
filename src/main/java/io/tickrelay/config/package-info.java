/**
 * Configuration: every key the gateway reads, with its default, through MicroProfile Config (each
 * key can be set as an environment variable, for example {@code TICKRELAY_ALPACA_FEEDS}).
 */
package io.tickrelay.config;
