package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** The field selectors the fixture supports: {@code metadata.name}, {@code metadata.namespace}, {@code status.phase}, with {@code =}, {@code ==} or {@code !=}. */
final class FieldSelector {
  private FieldSelector() {}

  static Predicate<JsonNode> parse(String text) {
    Predicate<JsonNode> all = o -> true;
    if (text == null || text.isBlank()) {
      return all;
    }
    for (String term : text.split(",")) {
      boolean negated = term.contains("!=");
      String[] kv = term.split(negated ? "!=" : "==?", 2);
      if (kv.length != 2) {
        throw ApiError.badRequest("invalid selector: '" + text + "'; can't understand '" + term + "'");
      }
      String field = kv[0].trim();
      String value = kv[1].trim();
      String[] path = switch (field) {
        case "metadata.name" -> new String[] {"metadata", "name"};
        case "metadata.namespace" -> new String[] {"metadata", "namespace"};
        case "status.phase" -> new String[] {"status", "phase"};
        default -> throw ApiError.badRequest("field label not supported: " + field);
      };
      Predicate<JsonNode> p = o -> value.equals(o.path(path[0]).path(path[1]).asText(""));
      all = all.and(negated ? p.negate() : p);
    }
    return all;
  }
}
