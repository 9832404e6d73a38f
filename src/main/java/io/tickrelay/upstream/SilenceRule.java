package io.tickrelay.upstream;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Whether silence on a connection at a given instant means a stall. Pure, for unit tests. */
final class SilenceRule {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime PRE_MARKET = LocalTime.of(4, 0);
  private static final LocalTime AFTER_HOURS_END = LocalTime.of(20, 0);

  private SilenceRule() {}

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
