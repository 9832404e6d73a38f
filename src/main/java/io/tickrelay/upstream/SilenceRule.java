package io.tickrelay.upstream;

import io.tickrelay.marketdata.Channel;
import io.tickrelay.marketdata.Interest;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether silence on a connection at a given instant means a stall. Pure, for unit tests. Only
 * a protocol's steady channels ({@link UpstreamProtocol#steadyChannels()}) are expected to flow
 * while a market is open; the others are quiet by nature, so a connection holding none of the
 * steady ones is never taken for stalled by its silence: its WebSocket pings with their pong
 * deadline catch a dead socket instead.
 */
final class SilenceRule {

  /**
   * Trades and quotes. Not: daily bars (once a day), statuses, LULDs, imbalances (on events),
   * Alpaca minute bars (only for minutes with trades), trade updates (only when orders move).
   */
  static final Set<Channel> STEADY = EnumSet.of(Channel.TRADES, Channel.QUOTES);

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime PRE_MARKET = LocalTime.of(4, 0);
  private static final LocalTime AFTER_HOURS_END = LocalTime.of(20, 0);

  private SilenceRule() {}

  /** Whether {@code demand} holds one of the {@code steady} channels, whose silence means something. */
  static boolean watches(Interest demand, Set<Channel> steady) {
    for (Channel channel : demand.channels()) {
      if (steady.contains(channel) && !demand.symbols(channel).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  static boolean applies(UpstreamSettings.SilenceCheck check, Instant at) {
    return switch (check) {
      case ALWAYS -> true;
      case OFF -> false;
      case MARKET_HOURS -> {
        ZonedDateTime local = at.atZone(NEW_YORK);
        DayOfWeek day = local.getDayOfWeek();
        LocalTime time = local.toLocalTime();
        // holidays are not modelled: a quiet holiday can cost one needless reconnect per window
        yield day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY
            && !time.isBefore(PRE_MARKET) && time.isBefore(AFTER_HOURS_END);
      }
    };
  }
}
