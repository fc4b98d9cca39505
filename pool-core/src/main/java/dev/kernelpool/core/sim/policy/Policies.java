package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.forecast.CombinedForecaster;
import dev.kernelpool.core.plan.DemandRules;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.plan.SmallQuotaRule;
import dev.kernelpool.core.quota.FootprintRule;
import dev.kernelpool.core.sim.SimSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The built-in policies by name: the one place they are registered and configured. */
public final class Policies {
  private Policies() {}

  public static List<String> names() {
    return List.of("none", "static", "seed", "adaptive", "oracle");
  }

  /** The policy named {@code name}; unknown names fail listing the known ones. */
  public static SimPolicy byName(String name, SimSettings settings) {
    return switch (name) {
      case "none" -> new NoPoolPolicy();
      case "static" -> new StaticPolicy(1);
      case "seed" -> seed();
      case "adaptive" -> adaptive(settings);
      case "oracle" -> new OraclePolicy();
      default -> throw new IllegalArgumentException("unknown policy '" + name + "' (known: " + String.join(", ", names()) + ")");
    };
  }

  /**
   * The design talk's policy: plans every 5 minutes, 10%/95% rules, launch-frequency ranking over
   * a week, TTL, small footprint; no small-quota rule.
   */
  public static SimPolicy seed() {
    PoolPolicy policy = PoolPolicy.DEFAULTS
        .withSmallQuota(new SmallQuotaRule(false, 1))
        .withFootprint(FootprintRule.DEFAULTS)
        .withDemand(new DemandRules(Duration.ofMinutes(15), 0));
    return new PlannerPolicy("seed", policy, new LaunchFrequencyForecaster(Duration.ofDays(7)),
        Optional.of(Duration.ofMinutes(5)), false);
  }

  /**
   * Ours: plans after every launch (the watch-triggered refill) and every 5 minutes; forecasts
   * with the larger of time-of-day/week seasonality (with the recent trend) and the week's launch
   * frequency over 15 minutes; drops profiles forecast below one launch in 20 hours; small
   * footprint; pools for small quotas. Chosen by a sweep (docs/simulator.md). {@code settings} is
   * accepted so the horizon can follow the modelled start time in later tuning.
   */
  public static SimPolicy adaptive(SimSettings settings) {
    Duration horizon = Duration.ofMinutes(15).compareTo(settings.coldStart()) > 0 ? Duration.ofMinutes(15) : settings.coldStart();
    PoolPolicy policy = PoolPolicy.DEFAULTS
        .withSmallQuota(new SmallQuotaRule(true, 1))
        .withFootprint(FootprintRule.DEFAULTS)
        .withDemand(new DemandRules(horizon, 0.05));
    return new PlannerPolicy("adaptive", policy, CombinedForecaster.defaults(), Optional.of(Duration.ofMinutes(5)), true);
  }
}
