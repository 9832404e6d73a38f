package io.tickrelay.simulator;

import io.tickrelay.config.Credential;
import java.time.Duration;
import java.util.Set;

/**
 * How the simulator behaves: the account it accepts and its feeds, the per-key connection limit,
 * the auth window, the trade rate per symbol and the bar interval.
 */
public record SimulatorSettings(
    Credential account,
    Set<String> feeds,
    int connectionsPerKey,
    Duration authTimeout,
    double tradesPerSecond,
    Duration barInterval) {

  /** The feed paths Alpaca serves under {@code /v2} (upstream-protocols.md §1.1). */
  public static final Set<String> ALPACA_FEEDS = Set.of("sip", "iex", "delayed_sip", "test");

  /** The crypto locations Alpaca serves under {@code /v1beta3/crypto} (upstream-protocols.md §1.1). */
  public static final Set<String> ALPACA_CRYPTO_LOCATIONS = Set.of("us", "us-1", "eu-1");

  public SimulatorSettings {
    feeds = Set.copyOf(feeds);
    if (tradesPerSecond <= 0) {
      throw new IllegalArgumentException("tradesPerSecond must be positive");
    }
  }

  Duration tickInterval() {
    return Duration.ofNanos((long) (1_000_000_000L / tradesPerSecond));
  }
}
