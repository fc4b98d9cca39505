package dev.kernelpool.core.eligibility;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which namespaces get a pool.
 *
 * @param optOut a namespace with this label never gets a pool
 * @param optIn when present, only namespaces with this label get a pool
 * @param launchWindow how far back launches count as recent
 * @param minRecentLaunches launches within the window a namespace needs; 0 disables the rule, and
 *     a namespace with declared profiles does not need them
 */
public record EligibilityRules(
    Optional<LabelRule> optOut,
    Optional<LabelRule> optIn,
    Duration launchWindow,
    int minRecentLaunches) {

  public static final EligibilityRules DEFAULTS =
      new EligibilityRules(
          Optional.of(LabelRule.parse("kernelpool.dev/pool=disabled")),
          Optional.empty(),
          Duration.ofDays(7),
          1);

  public EligibilityRules {
    Objects.requireNonNull(optOut, "optOut");
    Objects.requireNonNull(optIn, "optIn");
    if (launchWindow == null || launchWindow.isNegative() || launchWindow.isZero()) {
      throw new IllegalArgumentException(
          "eligibility.launchWindow must be a positive duration, got " + launchWindow);
    }
    if (minRecentLaunches < 0) {
      throw new IllegalArgumentException(
          "eligibility.minRecentLaunches must not be negative, got " + minRecentLaunches);
    }
  }
}
