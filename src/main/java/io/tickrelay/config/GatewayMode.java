package io.tickrelay.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which mode the gateway runs in and why: the embedded simulator with its demo credentials only
 * when asked for ({@code TICKRELAY_MODE=simulator}) or when nothing at all is configured, so an
 * empty secret in production can never turn {@code demo:demo} on.
 */
public record GatewayMode(boolean simulator, String reason) {

  /** Environment variables whose mere presence, even empty, means "this is a real deployment". */
  static final List<String> CREDENTIAL_VARIABLES = List.of(
      "APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "TICKRELAY_CLIENTS", "TICKRELAY_PUBLISHERS",
      "TICKRELAY_BINANCE_STREAM_URL");

  /**
   * What configuration says, as the decision needs it.
   *
   * @param mode {@code TICKRELAY_MODE}: {@code simulator}, {@code live} or unset
   * @param configured the names of credential settings with a non-empty value
   * @param declared whether an environment variable is present at all (an empty one counts)
   */
  public record Inputs(Optional<String> mode, List<String> configured, Predicate<String> declared) {}

  public static GatewayMode decide(Inputs in) {
    if (in.mode().isPresent()) {
      String mode = in.mode().get().trim().toLowerCase(Locale.ROOT);
      if (mode.equals("simulator")) {
        return new GatewayMode(true, "TICKRELAY_MODE=simulator");
      }
      if (mode.equals("live")) {
        return new GatewayMode(false, "TICKRELAY_MODE=live");
      }
      // fail closed: an unreadable mode must never enable demo credentials
      return new GatewayMode(false, "TICKRELAY_MODE is neither simulator nor live; running live");
    }
    List<String> found = new ArrayList<>(in.configured());
    for (String variable : CREDENTIAL_VARIABLES) {
      if (!found.contains(variable) && in.declared().test(variable)) {
        found.add(variable + " (empty)");
      }
    }
    if (found.isEmpty()) {
      return new GatewayMode(true,
          "no upstream, client or publisher credential is configured and TICKRELAY_MODE is unset");
    }
    return new GatewayMode(false, "configured: " + String.join(", ", found));
  }
}
