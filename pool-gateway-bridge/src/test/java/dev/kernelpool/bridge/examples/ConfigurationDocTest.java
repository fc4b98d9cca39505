package dev.kernelpool.bridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kernelpool.bridge.config.SidecarConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents exactly the keys the configuration accepts: it cannot drift. */
class ConfigurationDocTest {
  private static final Path DOC = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/configuration.md");
  private static final Pattern ROW_KEYS = Pattern.compile("^\\| (`[^|]+`) \\|");
  private static final Pattern KEY = Pattern.compile("`([^`]+)`");

  @Test
  void everyAcceptedKeyIsDocumentedAndNothingElse() throws Exception {
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(DOC)) {
      Matcher row = ROW_KEYS.matcher(line);
      if (row.find() && !row.group(1).equals("`key`")) {
        Matcher k = KEY.matcher(row.group(1));
        while (k.find()) {
          documented.add(k.group(1));
        }
      }
    }
    Set<String> expected = new TreeSet<>(SidecarConfig.keys());

    assertThat(documented).containsExactlyInAnyOrderElementsOf(expected);
  }
}
