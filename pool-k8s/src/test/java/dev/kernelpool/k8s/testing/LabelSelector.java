package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector as the API server parses it: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a},
 * {@code !a}, {@code a in (x,y)}, {@code a notin (x,y)}, comma-separated and all required.
 */
final class LabelSelector implements Predicate<JsonNode> {
  private final List<Predicate<JsonNode>> requirements;

  private LabelSelector(List<Predicate<JsonNode>> requirements) {
    this.requirements = requirements;
  }

  static LabelSelector parse(String text) {
    List<Predicate<JsonNode>> reqs = new ArrayList<>();
    if (text != null && !text.isBlank()) {
      for (String part : split(text)) {
        reqs.add(requirement(part.trim()));
      }
    }
    return new LabelSelector(reqs);
  }

  /** Splits on commas outside parentheses. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static Predicate<JsonNode> requirement(String r) {
    if (r.isEmpty()) {
      throw ApiError.badRequest("unable to parse requirement: empty label selector term");
    }
    String[] setOps = {" notin ", " in "};
    for (String op : setOps) {
      int i = r.indexOf(op);
      if (i > 0) {
        String key = r.substring(0, i).trim();
        String values = r.substring(i + op.length()).trim();
        if (!values.startsWith("(") || !values.endsWith(")")) {
          throw ApiError.badRequest("unable to parse requirement: " + r);
        }
        Set<String> set = Set.of(values.substring(1, values.length() - 1).split("\\s*,\\s*"));
        boolean in = op.equals(" in ");
        return o -> {
          String v = label(o, key);
          return in ? v != null && set.contains(v) : v == null || !set.contains(v);
        };
      }
    }
    int ne = r.indexOf("!=");
    if (ne > 0) {
      String key = r.substring(0, ne).trim();
      String value = r.substring(ne + 2).trim();
      return o -> !value.equals(label(o, key));
    }
    int eq = r.indexOf('=');
    if (eq > 0) {
      String key = r.substring(0, eq).trim();
      String value = r.substring(r.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      return o -> value.equals(label(o, key));
    }
    if (r.startsWith("!")) {
      String key = r.substring(1).trim();
      return o -> label(o, key) == null;
    }
    if (!r.matches("[A-Za-z0-9./_-]+")) {
      throw ApiError.badRequest("unable to parse requirement: " + r);
    }
    return o -> label(o, r) != null;
  }

  private static String label(JsonNode object, String key) {
    JsonNode v = object.path("metadata").path("labels").get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  @Override
  public boolean test(JsonNode object) {
    for (Predicate<JsonNode> r : requirements) {
      if (!r.test(object)) {
        return false;
      }
    }
    return true;
  }
}
