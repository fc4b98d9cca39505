package dev.kernelpool.k8s.testing;

import java.util.List;
import java.util.Optional;

/** A resource the in-memory API server serves: its URL plural, kind, API version and scope. */
public record ResourceType(String plural, String kind, String apiVersion, boolean namespaced) {
  public static final ResourceType NAMESPACES = new ResourceType("namespaces", "Namespace", "v1", false);
  public static final ResourceType PODS = new ResourceType("pods", "Pod", "v1", true);
  public static final ResourceType RESOURCE_QUOTAS = new ResourceType("resourcequotas", "ResourceQuota", "v1", true);
  public static final ResourceType CONFIG_MAPS = new ResourceType("configmaps", "ConfigMap", "v1", true);
  public static final ResourceType SECRETS = new ResourceType("secrets", "Secret", "v1", true);
  public static final ResourceType EVENTS = new ResourceType("events", "Event", "v1", true);
  public static final ResourceType LIMIT_RANGES = new ResourceType("limitranges", "LimitRange", "v1", true);
  public static final ResourceType LEASES = new ResourceType("leases", "Lease", "coordination.k8s.io/v1", true);

  static final List<ResourceType> ALL = List.of(NAMESPACES, PODS, RESOURCE_QUOTAS, LIMIT_RANGES, CONFIG_MAPS, SECRETS, EVENTS, LEASES);

  /** The path prefix of this resource's API group: {@code /api/v1} or {@code /apis/GROUP/VERSION}. */
  String groupPath() {
    return apiVersion.equals("v1") ? "/api/v1" : "/apis/" + apiVersion;
  }

  static Optional<ResourceType> find(String groupPath, String plural) {
    return ALL.stream().filter(t -> t.groupPath().equals(groupPath) && t.plural().equals(plural)).findFirst();
  }
}
