package dev.kernelpool.k8s.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kernelpool.core.resource.InvalidQuantityException;
import dev.kernelpool.core.resource.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ResourceQuota as the API server enforces it: a pod whose requests would take a namespace over a
 * quota's {@code hard} is refused with 403 "exceeded quota", a pod without a request for a
 * resource the quota tracks with 403 "must specify", and every quota's {@code status.hard} and
 * {@code status.used} are kept current as pods come and go (pods in a terminal phase no longer
 * count). Resizes are admitted the same way, on the difference.
 */
final class QuotaAdmission implements ObjectStore.Admission {
  private volatile boolean keepStatus = true;

  /** Off: quotas carry no status, as on a cluster whose quota controller has not caught up. */
  void keepStatus(boolean on) {
    keepStatus = on;
  }

  @Override
  public void admit(ObjectStore store, String verb, ResourceType type, ObjectNode object, ObjectNode previous) {
    if (!type.equals(ResourceType.PODS) || !(verb.equals("create") || verb.equals("resize"))) {
      return;
    }
    String namespace = object.path("metadata").path("namespace").asText();
    String name = object.path("metadata").path("name").asText();
    for (ObjectNode quota : store.list(ResourceType.RESOURCE_QUOTAS, namespace, o -> true)) {
      Map<String, Long> hard = quantities(quota.path("spec").path("hard"));
      Map<String, Long> used = usage(store, namespace, hard.keySet(), verb.equals("resize") ? name : null);
      List<String> over = new ArrayList<>();
      StringBuilder requested = new StringBuilder();
      StringBuilder usedText = new StringBuilder();
      StringBuilder limited = new StringBuilder();
      for (Map.Entry<String, Long> e : hard.entrySet()) {
        Long amount = amount(object, e.getKey());
        if (amount == null) {
          if (verb.equals("create")) {
            throw ApiError.forbidden(type, name, "failed quota: " + quota.path("metadata").path("name").asText()
                + ": must specify " + e.getKey());
          }
          continue;
        }
        if (used.get(e.getKey()) + amount > e.getValue()) {
          over.add(e.getKey());
          append(requested, e.getKey(), amount);
          append(usedText, e.getKey(), used.get(e.getKey()));
          append(limited, e.getKey(), e.getValue());
        }
      }
      if (!over.isEmpty()) {
        throw ApiError.forbidden(type, name, "exceeded quota: " + quota.path("metadata").path("name").asText()
            + ", requested: " + requested + ", used: " + usedText + ", limited: " + limited);
      }
    }
  }

  private static void append(StringBuilder b, String key, long milli) {
    if (!b.isEmpty()) {
      b.append(',');
    }
    b.append(key).append('=').append(Quantity.format(milli));
  }

  @Override
  public void afterChange(ObjectStore store, ResourceType type, String namespace) {
    if (!keepStatus || !(type.equals(ResourceType.PODS) || type.equals(ResourceType.RESOURCE_QUOTAS))) {
      return;
    }
    for (ObjectNode quota : store.list(ResourceType.RESOURCE_QUOTAS, namespace, o -> true)) {
      Map<String, Long> hard = quantities(quota.path("spec").path("hard"));
      Map<String, Long> used = usage(store, namespace, hard.keySet(), null);
      ObjectNode next = quota.deepCopy();
      ObjectNode status = next.putObject("status");
      ObjectNode h = status.putObject("hard");
      ObjectNode u = status.putObject("used");
      hard.forEach((k, v) -> h.put(k, Quantity.format(v)));
      used.forEach((k, v) -> u.put(k, Quantity.format(v)));
      next.set("metadata", quota.get("metadata"));
      if (!next.path("status").equals(quota.path("status"))) {
        store.putInternal(ResourceType.RESOURCE_QUOTAS, namespace, quota.path("metadata").path("name").asText(), next);
      }
    }
  }

  /** Usage of every key by the namespace's non-terminal pods, leaving out {@code except}. */
  private static Map<String, Long> usage(ObjectStore store, String namespace, Iterable<String> keys, String except) {
    Map<String, Long> used = new TreeMap<>();
    keys.forEach(k -> used.put(k, 0L));
    for (ObjectNode pod : store.list(ResourceType.PODS, namespace, o -> true)) {
      String phase = pod.path("status").path("phase").asText();
      if (phase.equals("Succeeded") || phase.equals("Failed") || pod.path("metadata").path("name").asText().equals(except)) {
        continue;
      }
      for (String k : used.keySet()) {
        Long a = amount(pod, k);
        if (a != null) {
          used.merge(k, a, Long::sum);
        }
      }
    }
    return used;
  }

  /** A pod's amount of one quota key; null when a container leaves it unspecified. */
  static Long amount(JsonNode pod, String key) {
    if (key.equals("pods") || key.equals("count/pods")) {
      return 1000L;
    }
    boolean limits = key.startsWith("limits.");
    String resource = limits ? key.substring(7) : key.startsWith("requests.") ? key.substring(9) : key;
    long total = 0;
    for (JsonNode c : pod.path("spec").path("containers")) {
      JsonNode r = c.path("resources");
      JsonNode v = limits ? r.path("limits").get(resource) : r.path("requests").has(resource)
          ? r.path("requests").get(resource) : r.path("limits").get(resource);
      if (v == null) {
        if (resource.equals("cpu") || resource.equals("memory")) {
          return null;
        }
        continue;
      }
      total += parse(v.asText());
    }
    return total;
  }

  private static Map<String, Long> quantities(JsonNode map) {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      out.put(e.getKey(), parse(e.getValue().asText()));
    }
    return out;
  }

  private static long parse(String quantity) {
    try {
      return Quantity.parseMilli(quantity);
    } catch (InvalidQuantityException e) {
      throw ApiError.badRequest("quantities must match the regular expression: " + e.getMessage());
    }
  }
}
