package dev.kernelpool.core.plan;

import java.time.Duration;

/**
 * How forecasts become desired pool sizes.
 *
 * @param horizon the pool covers the launches expected within this time: roughly how long a cold
 *     start, and so a refill, takes
 * @param minLaunchesPerHour a profile forecast below this rate gets no warm kernel of its own
 *     (profile minimums still apply); 0 warms every profile with any forecast demand
 */
public record DemandRules(Duration horizon, double minLaunchesPerHour) {
  public static final DemandRules DEFAULTS = new DemandRules(Duration.ofMinutes(15), 0.0);

  public DemandRules {
    if (horizon == null || horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("demand.horizon must be a positive duration, got " + horizon);
    }
    if (!(minLaunchesPerHour >= 0) || Double.isInfinite(minLaunchesPerHour)) {
      throw new IllegalArgumentException(
          "demand.minLaunchesPerHour must be a non-negative number, got " + minLaunchesPerHour);
    }
  }
}
