package dev.kernelpool.core.eligibility;

import java.util.Map;
import java.util.Optional;

/**
 * A label requirement: {@code key=value}, or {@code key} alone for "present with any value".
 *
 * @param value empty to match any value
 */
public record LabelRule(String key, Optional<String> value) {
  public LabelRule {
    if (key == null || key.isBlank() || key.contains("=")) {
      throw new IllegalArgumentException("invalid label rule key '" + key + "'");
    }
    value = value == null ? Optional.empty() : value;
  }

  /** Parses {@code key=value} or {@code key}. */
  public static LabelRule parse(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) {
      return new LabelRule(text.trim(), Optional.empty());
    }
    return new LabelRule(text.substring(0, eq).trim(), Optional.of(text.substring(eq + 1).trim()));
  }

  public boolean matches(Map<String, String> labels) {
    String actual = labels.get(key);
    return actual != null && value.map(actual::equals).orElse(true);
  }

  @Override
  public String toString() {
    return value.map(v -> key + "=" + v).orElse(key);
  }
}
