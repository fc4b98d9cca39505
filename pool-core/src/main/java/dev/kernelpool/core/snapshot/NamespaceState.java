package dev.kernelpool.core.snapshot;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One namespace as the planner sees it.
 *
 * @param labels the namespace's labels, for opt-in/opt-out rules
 * @param quota the namespace's combined resource quota, empty when it has none
 * @param members the pool's members in this namespace, in every state
 * @param history launches in this namespace per profile
 * @param declaredProfiles profiles an operator declared for this namespace: always candidates for
 *     the pool (their profile rules' minimums apply even before any launch)
 */
public record NamespaceState(
    String name,
    Map<String, String> labels,
    Optional<Quota> quota,
    List<PoolMember> members,
    LaunchHistory history,
    List<PoolProfile> declaredProfiles,
    KernelspecPopularity popularity) {

  /** A namespace without declared profiles. */
  public NamespaceState(
      String name, Map<String, String> labels, Optional<Quota> quota, List<PoolMember> members, LaunchHistory history) {
    this(name, labels, quota, members, history, List.of());
  }

  /** A namespace planned without what the rest of the cluster launches. */
  public NamespaceState(
      String name,
      Map<String, String> labels,
      Optional<Quota> quota,
      List<PoolMember> members,
      LaunchHistory history,
      List<PoolProfile> declaredProfiles) {
    this(name, labels, quota, members, history, declaredProfiles, KernelspecPopularity.NONE);
  }

  public NamespaceState {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("namespace name must not be empty");
    }
    labels = Map.copyOf(labels);
    Objects.requireNonNull(quota, "quota");
    members = List.copyOf(members);
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(popularity, "popularity");
    declaredProfiles = declaredProfiles.size() < 2
        ? List.copyOf(declaredProfiles)
        : List.copyOf(new java.util.LinkedHashSet<>(declaredProfiles));
    for (PoolProfile p : declaredProfiles) {
      if (!p.namespace().equals(name)) {
        throw new IllegalArgumentException("declared profile of namespace " + p.namespace() + " listed under " + name);
      }
    }
    for (PoolMember m : members) {
      if (!m.profile().namespace().equals(name)) {
        throw new IllegalArgumentException(
            "member " + m.id() + " of namespace " + m.profile().namespace() + " listed under " + name);
      }
    }
  }
}
