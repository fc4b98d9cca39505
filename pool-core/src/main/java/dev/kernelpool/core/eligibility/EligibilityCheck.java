package dev.kernelpool.core.eligibility;

import dev.kernelpool.core.snapshot.NamespaceState;
import java.time.Instant;

/**
 * Applies {@link EligibilityRules} to a namespace. Headroom is not judged here: it needs the
 * budget, and a namespace without headroom is reported as {@link Eligibility#NO_HEADROOM} by the
 * planner.
 */
public final class EligibilityCheck {
  private final EligibilityRules rules;

  public EligibilityCheck(EligibilityRules rules) {
    this.rules = rules;
  }

  /**
   * @param hasBudget whether the namespace has a quota or a default budget applies
   */
  public Eligibility check(NamespaceState ns, boolean hasBudget, Instant now) {
    if (rules.optOut().isPresent() && rules.optOut().get().matches(ns.labels())) {
      return Eligibility.OPTED_OUT;
    }
    if (rules.optIn().isPresent() && !rules.optIn().get().matches(ns.labels())) {
      return Eligibility.NOT_OPTED_IN;
    }
    if (!hasBudget) {
      return Eligibility.NO_QUOTA;
    }
    if (rules.minRecentLaunches() > 0
        && ns.declaredProfiles().isEmpty()
        && !ns.history().hasAtLeast(rules.minRecentLaunches(), now.minus(rules.launchWindow()), now)) {
      return Eligibility.NO_RECENT_LAUNCHES;
    }
    return Eligibility.ELIGIBLE;
  }
}
