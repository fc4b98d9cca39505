package dev.kernelpool.core.plan;

import dev.kernelpool.core.eligibility.Eligibility;
import dev.kernelpool.core.quota.NamespaceBudget;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan for one namespace, with the figures behind it for status pages and metrics.
 *
 * @param budget the quota rules' limits on live members; empty when the namespace keeps no pool
 * @param targets per profile, in rank order
 * @param actions deletions first (in eviction order), then creations (in rank order)
 * @param replanBy plan this namespace again by then even if nothing happens: a forecast burst is
 *     coming and its kernels must be started on time (the controller's requeue-after)
 */
public record NamespacePlan(
    String namespace,
    Eligibility eligibility,
    Optional<NamespaceBudget> budget,
    List<ProfileTarget> targets,
    List<PlanAction> actions,
    Optional<Instant> replanBy) {

  public NamespacePlan {
    targets = List.copyOf(targets);
    actions = List.copyOf(actions);
    Objects.requireNonNull(replanBy, "replanBy");
  }

  /** A plan that asks for no early replanning. */
  public NamespacePlan(
      String namespace, Eligibility eligibility, Optional<NamespaceBudget> budget, List<ProfileTarget> targets, List<PlanAction> actions) {
    this(namespace, eligibility, budget, targets, actions, Optional.empty());
  }
}
