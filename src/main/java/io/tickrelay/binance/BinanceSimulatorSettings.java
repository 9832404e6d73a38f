package io.tickrelay.binance;

import java.time.Duration;
import java.util.Set;

/**
 * How the Binance simulator behaves. Real Binance: pings every 20 s, a disconnect when no pong came
 * for 1 min, connections valid for 24 h, 5 incoming messages per second, 1024 streams per
 * connection (upstream-protocols.md §2.3); all of them shortenable for tests.
 *
 * @param listed the upper-case symbols that trade; other well-formed streams are accepted and stay
 *     silent, as on Binance (§2.2)
 * @param tradesPerSecond trades (each followed by a book ticker) per listed, wanted symbol
 * @param barInterval how long a simulated {@code kline_1m} stays open (one minute on Binance)
 * @param klineUpdateInterval how often an open kline is pushed (2 s on Binance)
 * @param shutdownNotice how long before the age cut-off a {@code serverShutdown} event is sent;
 *     zero sends none (Binance sends it before maintenance, with no fixed lead time, §2.3)
 */
public record BinanceSimulatorSettings(
    Set<String> listed,
    double tradesPerSecond,
    Duration barInterval,
    Duration klineUpdateInterval,
    Duration pingInterval,
    Duration pongTimeout,
    Duration maxConnectionAge,
    int maxIncomingPerSecond,
    int maxStreamsPerConnection,
    Duration shutdownNotice) {

  /** The symbols listed unless told otherwise, with plausible starting prices in BinanceMarket. */
  public static final Set<String> DEFAULT_LISTED =
      Set.of("BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT", "ETHBTC",
          "BTCUSDC", "BNBFDUSD", "BTCEUR");

  public BinanceSimulatorSettings {
    listed = Set.copyOf(listed);
    if (tradesPerSecond <= 0) {
      throw new IllegalArgumentException("tradesPerSecond must be positive");
    }
  }

  /** Binance's own limits and timings, with the given symbols and trade rate. */
  public static BinanceSimulatorSettings realistic(Set<String> listed, double tradesPerSecond) {
    return new BinanceSimulatorSettings(listed, tradesPerSecond, Duration.ofMinutes(1),
        Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMinutes(1), Duration.ofHours(24),
        5, 1024, Duration.ZERO);
  }

  public BinanceSimulatorSettings withPing(Duration interval, Duration timeout) {
    return new BinanceSimulatorSettings(listed, tradesPerSecond, barInterval, klineUpdateInterval,
        interval, timeout, maxConnectionAge, maxIncomingPerSecond, maxStreamsPerConnection, shutdownNotice);
  }

  public BinanceSimulatorSettings withMaxConnectionAge(Duration age) {
    return new BinanceSimulatorSettings(listed, tradesPerSecond, barInterval, klineUpdateInterval,
        pingInterval, pongTimeout, age, maxIncomingPerSecond, maxStreamsPerConnection, shutdownNotice);
  }

  public BinanceSimulatorSettings withShutdownNotice(Duration notice) {
    return new BinanceSimulatorSettings(listed, tradesPerSecond, barInterval, klineUpdateInterval,
        pingInterval, pongTimeout, maxConnectionAge, maxIncomingPerSecond, maxStreamsPerConnection,
        notice);
  }

  public BinanceSimulatorSettings withBars(Duration interval, Duration updateInterval) {
    return new BinanceSimulatorSettings(listed, tradesPerSecond, interval, updateInterval,
        pingInterval, pongTimeout, maxConnectionAge, maxIncomingPerSecond, maxStreamsPerConnection, shutdownNotice);
  }

  Duration tickInterval() {
    return Duration.ofNanos((long) (1_000_000_000L / tradesPerSecond));
  }
}
