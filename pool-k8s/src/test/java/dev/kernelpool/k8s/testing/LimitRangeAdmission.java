package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The LimitRanger admission plugin's defaulting, for {@code type: Container} limits: a container
 * of a new pod without a request (or limit) for a resource gets the LimitRange's {@code
 * defaultRequest} (or {@code default}); a default limit without a default request also becomes
 * the request, as the API server does. Runs before quota admission, so a namespace with a
 * LimitRange admits pods that name no requests.
 */
final class LimitRangeAdmission implements ObjectStore.Admission {
  @Override
  public void admit(ObjectStore store, String verb, ResourceType type, ObjectNode object, ObjectNode previous) {
    if (!type.equals(ResourceType.PODS) || !verb.equals("create")) {
      return;
    }
    String namespace = object.path("metadata").path("namespace").asText();
    for (ObjectNode range : store.list(ResourceType.LIMIT_RANGES, namespace, o -> true)) {
      for (JsonNode limit : range.path("spec").path("limits")) {
        if (!"Container".equals(limit.path("type").asText())) {
          continue;
        }
        for (JsonNode container : object.path("spec").path("containers")) {
          ObjectNode resources = container.has("resources") && container.get("resources").isObject()
              ? (ObjectNode) container.get("resources") : ((ObjectNode) container).putObject("resources");
          fill(resources, "limits", limit.path("default"));
          fill(resources, "requests", limit.path("defaultRequest"));
          fill(resources, "requests", limit.path("default"));
        }
      }
    }
  }

  private static void fill(ObjectNode resources, String field, JsonNode defaults) {
    ObjectNode target = resources.has(field) && resources.get(field).isObject()
        ? (ObjectNode) resources.get(field) : null;
    for (Map.Entry<String, JsonNode> e : defaults.properties()) {
      if (target == null) {
        target = resources.putObject(field);
      }
      if (!target.has(e.getKey())) {
        target.set(e.getKey(), e.getValue());
      }
    }
  }
}
