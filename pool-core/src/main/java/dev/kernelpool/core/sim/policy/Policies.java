package dev.kernelpool.core.sim.policy;

import dev.kernelpool.core.forecast.CombinedForecaster;
import dev.kernelpool.core.forecast.DemandForecaster;
import dev.kernelpool.core.forecast.LaunchFrequencyForecaster;
import dev.kernelpool.core.forecast.SeasonalForecaster;
import dev.kernelpool.core.forecast.ShapedForecaster;
import dev.kernelpool.core.plan.BurstRule;
import dev.kernelpool.core.plan.DemandRules;
import dev.kernelpool.core.plan.PoolPolicy;
import dev.kernelpool.core.plan.PoolSizing;
import dev.kernelpool.core.plan.QuietRefill;
import dev.kernelpool.core.plan.SmallQuotaRule;
import dev.kernelpool.core.sim.SimSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The built-in policies by name: the one place they are registered and configured. */
public final class Policies {
  private Policies() {}

  public static List<String> names() {
    return List.of("none", "static", "seed", "adaptive", "burst", "shaped", "oracle");
  }

  /** The policy named {@code name}; unknown names fail listing the known ones. */
  public static SimPolicy byName(String name, SimSettings settings) {
    return switch (name) {
      case "none" -> new NoPoolPolicy();
      case "static" -> new StaticPolicy(1);
      case "seed" -> seed(settings);
      case "adaptive" -> adaptive(settings);
      case "burst" -> burst(settings);
      case "shaped" -> shaped(settings);
      case "oracle" -> new OraclePolicy(settings.footprint());
      default -> throw new IllegalArgumentException("unknown policy '" + name + "' (known: " + String.join(", ", names()) + ")");
    };
  }

  /**
   * The design talk's policy: plans every 5 minutes, 10%/95% rules, launch-frequency ranking over
   * a week, TTL, small footprint; no small-quota rule.
   */
  public static SimPolicy seed(SimSettings settings) {
    PoolPolicy policy = PoolPolicy.DEFAULTS
        .withSmallQuota(new SmallQuotaRule(false, 1))
        .withFootprint(settings.footprint())
        .withDemand(new DemandRules(Duration.ofMinutes(15), 0));
    return new PlannerPolicy("seed", policy, new LaunchFrequencyForecaster(Duration.ofDays(7)),
        Optional.of(Duration.ofMinutes(5)), false);
  }

  /**
   * Ours: plans after every launch (the watch-triggered refill) and every 5 minutes. Forecasts with
   * {@link CombinedForecaster#defaults()}: the larger of {@link SeasonalForecaster#defaults()} (the
   * same time of day on earlier days of the same kind, shrunk toward the profile's average, plus a
   * trend for surprises) and the week's launch frequency, over 7 minutes. Sizes by marginal value
   * ({@link PoolSizing.MarginalValue}): a profile's first warm kernel from 0.01 launches/h (0.005
   * for the namespace's top profile, so every namespace in use keeps one), each further kernel only
   * while it adds 3 warm launches an hour given a refill of the modelled start time; profiles below
   * 0.025 launches/h (one in 40 hours) are refilled 5 minutes after their last launch, the rest at
   * once; equal forecasts rank by their kernelspec's launches across the cluster. Small footprint;
   * pools for small quotas. Chosen by a sweep (docs/simulator.md).
   */
  public static SimPolicy adaptive(SimSettings settings) {
    return reactive("adaptive", adaptivePolicy(settings), CombinedForecaster.defaults());
  }

  /**
   * Adaptive plus the burst rule ({@link BurstRule}): bursts history sees coming are pre-warmed
   * past the 10% rule (never past the 95% rule), begun the model's slowest start before they come,
   * in waves of the model's {@code maxStarting}.
   */
  public static SimPolicy burst(SimSettings settings) {
    return reactive("burst", adaptivePolicy(settings).withBurst(burstRule(settings)), CombinedForecaster.defaults());
  }

  /** The burst rule as the simulator's model of the world sets it: on, slowest start, maxStarting. */
  public static BurstRule burstRule(SimSettings settings) {
    return BurstRule.DISABLED.on().withStartTime(settings.slowestStart()).withMaxStarting(settings.maxStarting());
  }

  /**
   * Adaptive with the {@link ShapedForecaster} (a profile's launches per day, shaped by when in the
   * day the cluster launches) and one price for every kernel: a profile's first warm kernel from
   * 0.05 launches/h (0.005 for the namespace's top profile), each further one while it adds 0.1 warm
   * launches an hour. Closest to the online bound where many namespaces follow one day's shape
   * (diurnal, weekly); see docs/simulator.md for where it pays more than adaptive.
   */
  public static SimPolicy shaped(SimSettings settings) {
    PoolPolicy policy = adaptivePolicy(settings).withDemand(DemandRules.shaped(settings.coldStart()));
    return reactive("shaped", policy, ShapedForecaster.defaults());
  }

  /** Adaptive's pool policy: small footprint, pools for small quotas, its demand rules. */
  private static PoolPolicy adaptivePolicy(SimSettings settings) {
    return PoolPolicy.DEFAULTS
        .withSmallQuota(new SmallQuotaRule(true, 1))
        .withFootprint(settings.footprint())
        .withDemand(adaptiveDemand(settings.coldStart()));
  }

  /** Planned after every launch (the watch-triggered refill) and every 5 minutes. */
  private static SimPolicy reactive(String name, PoolPolicy policy, DemandForecaster forecaster) {
    return new PlannerPolicy(name, policy, forecaster, Optional.of(Duration.ofMinutes(5)), true);
  }

  /** The adaptive policy's demand rules for a refill (pool start) time. */
  public static DemandRules adaptiveDemand(Duration refill) {
    return new DemandRules(Duration.ofMinutes(7), 0.01, 0.005, new PoolSizing.MarginalValue(refill, 3),
        new QuietRefill(Duration.ofMinutes(5), 0.025), true);
  }
}
