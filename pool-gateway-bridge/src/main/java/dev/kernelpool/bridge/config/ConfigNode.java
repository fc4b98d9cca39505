package dev.kernelpool.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of the configuration tree with its key path, for typed reads with defaults and errors
 * that name the key ({@code policy.memberTtl: expected a duration such as 30s or 4h, got "soon"}).
 */
final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final String path;
  private final JsonNode node;

  ConfigNode(String path, JsonNode node) {
    this.path = path;
    this.node = node == null ? MissingNode.getInstance() : node;
  }

  private String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** Fails on keys other than {@code allowed}: a typo must not silently fall back to a default. */
  ConfigNode allowOnly(String... allowed) {
    if (node.isObject()) {
      Set<String> ok = Set.of(allowed);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!ok.contains(e.getKey())) {
          throw new ConfigException(key(e.getKey()) + ": unknown key (known: " + String.join(", ", allowed) + ")");
        }
      }
    } else if (!node.isMissingNode() && !node.isNull()) {
      throw new ConfigException((path.isEmpty() ? "config" : path) + ": expected a mapping");
    }
    return this;
  }

  ConfigNode child(String name) {
    return new ConfigNode(key(name), node.get(name));
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  String string(String name, String fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isValueNode()) {
      throw new ConfigException(key(name) + ": expected a string");
    }
    return v.asText();
  }

  int integer(String name, int fallback, int min, int max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw new ConfigException(key(name) + ": expected a whole number from " + min + " to " + max + ", got " + v);
    }
    return v.asInt();
  }

  double decimal(String name, double fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new ConfigException(key(name) + ": expected a number, got " + v);
    }
    return v.asDouble();
  }

  boolean bool(String name, boolean fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(key(name) + ": expected true or false, got " + v);
    }
    return v.asBoolean();
  }

  /** A duration that must be more than zero. */
  Duration positiveDuration(String name, Duration fallback) {
    Duration d = duration(name, fallback);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key(name) + ": must be more than zero");
    }
    return d;
  }

  Duration duration(String name, Duration fallback) {
    String text = string(name, null);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(key(name) + ": expected a duration such as 500ms, 30s, 10m, 4h or 7d, got \"" + text + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** A mapping of resource names to quantities, or a "cpu=1,memory=2Gi" string. */
  Map<String, String> quantities(String name) {
    return mapping(name, "resource names to quantities");
  }

  /** A mapping of names to strings, or a "a=1,b=2" string; {@code what} names its entries in errors. */
  Map<String, String> mapping(String name, String what) {
    JsonNode v = node.get(name);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      for (String part : v.asText().split(",")) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException(key(name) + ": expected name=value pairs, got \"" + part.trim() + "\"");
        }
        out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
      return out;
    }
    if (!v.isObject()) {
      throw new ConfigException(key(name) + ": expected a mapping of " + what);
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  List<String> strings(String name) {
    JsonNode v = node.get(name);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name) + ": expected a list");
    }
    v.forEach(x -> out.add(x.asText()));
    return out;
  }

  List<ConfigNode> list(String name) {
    JsonNode v = node.get(name);
    List<ConfigNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name) + ": expected a list");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new ConfigNode(key(name) + "[" + i + "]", v.get(i)));
    }
    return out;
  }

  String path() {
    return path;
  }
}
