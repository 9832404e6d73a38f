package io.tickrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every key the gateway reads has a row in the README's configuration table, with its default. */
class ConfigurationDocumentedTest {

  /** MicroProfile Config's environment-variable form: upper case, non-alphanumerics as '_'. */
  static String environmentName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  @Test
  void everyConfigKeyHasARowWithItsDefault() throws IOException {
    List<String> table = Files.readAllLines(Path.of("README.md")).stream()
        .filter(line -> line.startsWith("| `"))
        .toList();
    List<String> missing = new ArrayList<>();
    int keys = 0;
    List<Field> fields = new ArrayList<>(List.of(GatewayConfig.class.getDeclaredFields()));
    fields.addAll(List.of(io.tickrelay.cluster.ClusterSettings.class.getDeclaredFields()));
    for (Field field : fields) {
      ConfigProperty property = field.getAnnotation(ConfigProperty.class);
      if (property == null) {
        continue;
      }
      keys++;
      String variable = "`" + environmentName(property.name()) + "`";
      String defaultValue = property.defaultValue();
      boolean documented = table.stream().anyMatch(row -> row.contains(variable)
          && (defaultValue.equals(ConfigProperty.UNCONFIGURED_VALUE) || row.contains(defaultValue)));
      if (!documented) {
        missing.add(environmentName(property.name()) + " (default " + defaultValue + ")");
      }
    }
    assertFalse(keys < 30, "the scan found the config keys: " + keys);
    assertEquals(List.of(), missing, "keys without a README row stating their default");
  }

  @Test
  void environmentNamesFollowMicroProfileConfig() {
    assertEquals("TICKRELAY_UPSTREAM_AUTH_TIMEOUT", environmentName("tickrelay.upstream.auth-timeout"));
    assertEquals("APCA_API_KEY_ID", environmentName("apca.api.key.id"));
  }
}
