package io.tickrelay.it;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * IT-only (FanoutErrorIT's deployment only): a fan-out queue of {@link #FANOUT_QUEUE} frames
 * instead of 65,536, so that an upstream reader which would park on a dead fan-out's full queue
 * does so after a few hundred frames. Above the server's system properties (ordinal 400), where
 * the IT gateway's configuration lives, so it wins for this one deployment.
 */
public class FanoutErrorConfig implements ConfigSource {

  static final int FANOUT_QUEUE = 64;
  private static final Map<String, String> VALUES =
      Map.of("tickrelay.client.fanout-queue", String.valueOf(FANOUT_QUEUE));

  @Override
  public Set<String> getPropertyNames() {
    return VALUES.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return VALUES.get(propertyName);
  }

  @Override
  public String getName() {
    return "FanoutErrorIT";
  }

  @Override
  public int getOrdinal() {
    return 500;
  }
}
