package dev.kernelpool.core.plan;

import dev.kernelpool.core.eligibility.Eligibility;
import dev.kernelpool.core.quota.NamespaceBudget;
import java.util.List;
import java.util.Optional;

/**
 * The plan for one namespace, with the figures behind it for status pages and metrics.
 *
 * @param budget the quota rules' limits on live members; empty when the namespace keeps no pool
 * @param targets per profile, in rank order
 * @param actions deletions first (in eviction order), then creations (in rank order)
 */
public record NamespacePlan(
    String namespace,
    Eligibility eligibility,
    Optional<NamespaceBudget> budget,
    List<ProfileTarget> targets,
    List<PlanAction> actions) {

  public NamespacePlan {
    targets = List.copyOf(targets);
    actions = List.copyOf(actions);
  }
}
