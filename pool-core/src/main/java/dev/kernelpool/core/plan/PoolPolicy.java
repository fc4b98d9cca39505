package dev.kernelpool.core.plan;

import dev.kernelpool.core.eligibility.EligibilityRules;
import dev.kernelpool.core.evict.LifecycleRules;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.quota.SizingRules;
import dev.kernelpool.core.snapshot.PoolProfile;
import java.util.List;
import java.util.Objects;

/** Every setting of the pool policy. All values are validated where they are built. */
public record PoolPolicy(
    SizingRules sizing,
    EligibilityRules eligibility,
    LifecycleRules lifecycle,
    DemandRules demand,
    SmallQuotaRule smallQuota,
    FootprintRule footprint,
    List<ProfileRule> profiles,
    BurstRule burst) {

  /** The design talk's policy: 10% pool cap, 95% usage ceiling, 4 h TTL, small footprint. */
  public static final PoolPolicy DEFAULTS =
      new PoolPolicy(
          SizingRules.DEFAULTS,
          EligibilityRules.DEFAULTS,
          LifecycleRules.DEFAULTS,
          DemandRules.DEFAULTS,
          SmallQuotaRule.DEFAULTS,
          FootprintRule.DEFAULTS,
          List.of(),
          BurstRule.DISABLED);

  public PoolPolicy {
    Objects.requireNonNull(sizing, "sizing");
    Objects.requireNonNull(eligibility, "eligibility");
    Objects.requireNonNull(lifecycle, "lifecycle");
    Objects.requireNonNull(demand, "demand");
    Objects.requireNonNull(smallQuota, "smallQuota");
    Objects.requireNonNull(footprint, "footprint");
    Objects.requireNonNull(burst, "burst");
    profiles = List.copyOf(profiles);
  }

  /** The first profile rule matching {@code profile}, or the unbounded rule. */
  public ProfileRule ruleFor(PoolProfile profile) {
    for (ProfileRule rule : profiles) {
      if (rule.matches(profile)) {
        return rule;
      }
    }
    return ProfileRule.UNBOUNDED;
  }

  public PoolPolicy withSizing(SizingRules newSizing) {
    return new PoolPolicy(newSizing, eligibility, lifecycle, demand, smallQuota, footprint, profiles, burst);
  }

  public PoolPolicy withEligibility(EligibilityRules newRules) {
    return new PoolPolicy(sizing, newRules, lifecycle, demand, smallQuota, footprint, profiles, burst);
  }

  public PoolPolicy withLifecycle(LifecycleRules newRules) {
    return new PoolPolicy(sizing, eligibility, newRules, demand, smallQuota, footprint, profiles, burst);
  }

  public PoolPolicy withDemand(DemandRules newRules) {
    return new PoolPolicy(sizing, eligibility, lifecycle, newRules, smallQuota, footprint, profiles, burst);
  }

  public PoolPolicy withSmallQuota(SmallQuotaRule newRule) {
    return new PoolPolicy(sizing, eligibility, lifecycle, demand, newRule, footprint, profiles, burst);
  }

  public PoolPolicy withFootprint(FootprintRule newRule) {
    return new PoolPolicy(sizing, eligibility, lifecycle, demand, smallQuota, newRule, profiles, burst);
  }

  public PoolPolicy withProfiles(List<ProfileRule> newRules) {
    return new PoolPolicy(sizing, eligibility, lifecycle, demand, smallQuota, footprint, newRules, burst);
  }

  public PoolPolicy withBurst(BurstRule newRule) {
    return new PoolPolicy(sizing, eligibility, lifecycle, demand, smallQuota, footprint, profiles, newRule);
  }
}
