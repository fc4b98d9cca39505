package dev.kernelpool.core.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A plan for every namespace of a snapshot, sorted by namespace name. */
public record Plan(Instant at, List<NamespacePlan> namespaces) {
  public Plan {
    namespaces = List.copyOf(namespaces);
  }

  /** Every action, namespace by namespace. */
  public List<PlanAction> actions() {
    List<PlanAction> all = new ArrayList<>();
    for (NamespacePlan ns : namespaces) {
      all.addAll(ns.actions());
    }
    return all;
  }

  /** The earliest time a namespace's plan asks to be planned again (a burst is ahead), if any. */
  public Optional<Instant> replanBy() {
    Optional<Instant> first = Optional.empty();
    for (NamespacePlan ns : namespaces) {
      if (ns.replanBy().isPresent() && (first.isEmpty() || ns.replanBy().get().isBefore(first.get()))) {
        first = ns.replanBy();
      }
    }
    return first;
  }

  /** Whether the plan changes nothing. */
  public boolean isEmpty() {
    for (NamespacePlan ns : namespaces) {
      if (!ns.actions().isEmpty()) {
        return false;
      }
    }
    return true;
  }
}
