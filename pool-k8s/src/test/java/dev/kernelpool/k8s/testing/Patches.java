package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * The patch types the fixture applies: JSON merge patch (RFC 7386: objects merge, {@code null}
 * removes a key, anything else replaces) and strategic merge patch, which is a merge patch where
 * lists of named things ({@code containers}, {@code env}, {@code volumes}, {@code volumeMounts})
 * merge by {@code name} instead of being replaced.
 */
final class Patches {
  private static final Set<String> MERGE_BY_NAME = Set.of("containers", "initContainers", "env", "volumes", "volumeMounts", "ports");

  private Patches() {}

  static ObjectNode mergePatch(ObjectNode target, JsonNode patch, boolean strategic) {
    if (!patch.isObject()) {
      throw ApiError.badRequest("a merge patch must be a JSON object");
    }
    ObjectNode out = target.deepCopy();
    apply(out, (ObjectNode) patch, strategic);
    return out;
  }

  private static void apply(ObjectNode target, ObjectNode patch, boolean strategic) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      JsonNode existing = target.get(key);
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && existing != null && existing.isObject()) {
        apply((ObjectNode) existing, (ObjectNode) value, strategic);
      } else if (strategic && value.isArray() && existing != null && existing.isArray() && MERGE_BY_NAME.contains(key)) {
        mergeByName((ArrayNode) existing, (ArrayNode) value);
      } else if (value.isObject()) {
        ObjectNode fresh = target.putObject(key);
        apply(fresh, (ObjectNode) value, strategic);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static void mergeByName(ArrayNode existing, ArrayNode patch) {
    for (JsonNode p : patch) {
      String name = p.path("name").asText(null);
      JsonNode match = null;
      for (JsonNode x : existing) {
        if (name != null && name.equals(x.path("name").asText(null))) {
          match = x;
        }
      }
      if (match != null && p.isObject()) {
        apply((ObjectNode) match, (ObjectNode) p, true);
      } else {
        existing.add(p.deepCopy());
      }
    }
  }
}
