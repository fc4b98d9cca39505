package dev.kernelpool.k8s.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What the peers from {@code ../shared} (the control plane, the node) have in common: where they are, and the env files their scripts write. */
final class SharedPeer {
  private SharedPeer() {}

  /**
   * The folder a system property or, else, an environment variable names, if it holds every one of
   * {@code files}.
   */
  static Optional<Path> home(String property, String variable, String... files) {
    String configured = Optional.ofNullable(System.getProperty(property)).orElse(System.getenv(variable));
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    Path home = Path.of(configured).toAbsolutePath();
    for (String f : files) {
      if (!Files.isRegularFile(home.resolve(f))) {
        return Optional.empty();
      }
    }
    return Optional.of(home);
  }

  /** The {@code export NAME=value} lines of a script's env file. */
  static Map<String, String> env(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("export ") && line.contains("=")) {
        String kv = line.substring("export ".length());
        env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    return env;
  }
}
