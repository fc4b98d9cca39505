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
 */
public record NamespaceState(
    String name,
    Map<String, String> labels,
    Optional<Quota> quota,
    List<PoolMember> members,
    LaunchHistory history) {

  public NamespaceState {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("namespace name must not be empty");
    }
    labels = Map.copyOf(labels);
    Objects.requireNonNull(quota, "quota");
    members = List.copyOf(members);
    Objects.requireNonNull(history, "history");
    for (PoolMember m : members) {
      if (!m.profile().namespace().equals(name)) {
        throw new IllegalArgumentException(
            "member " + m.id() + " of namespace " + m.profile().namespace() + " listed under " + name);
      }
    }
  }
}
