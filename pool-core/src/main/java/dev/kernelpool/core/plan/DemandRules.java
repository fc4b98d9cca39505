package dev.kernelpool.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * How forecasts become desired pool sizes.
 *
 * @param horizon the window forecasts look ahead: with {@link PoolSizing.CoverHorizon} the pool
 *     covers the launches expected within it, so roughly a refill's time plus the planning period
 * @param minLaunchesPerHour a profile forecast below this rate gets no warm kernel of its own
 *     (profile minimums still apply); 0 warms every profile with any forecast demand
 * @param topMinLaunchesPerHour the same threshold for a namespace's top-ranked profile: a lower one
 *     keeps one warm kernel in every namespace that is used at all, while its rarer profiles must
 *     earn theirs
 * @param sizing how a forecast becomes a number of kernels
 * @param quietRefill when quiet profiles are refilled after a launch
 * @param popularTiesFirst profiles forecast alike rank by how often their kernelspec is launched
 *     across the cluster (a namespace with a launch of python3 and one of ir keeps the kernelspec
 *     most launched elsewhere), not by name
 */
public record DemandRules(
    Duration horizon,
    double minLaunchesPerHour,
    double topMinLaunchesPerHour,
    PoolSizing sizing,
    QuietRefill quietRefill,
    boolean popularTiesFirst) {
  public static final DemandRules DEFAULTS = new DemandRules(Duration.ofMinutes(15), 0.0);

  /** The talk's sizing: cover the launches expected within the horizon. */
  public DemandRules(Duration horizon, double minLaunchesPerHour) {
    this(horizon, minLaunchesPerHour, minLaunchesPerHour, new PoolSizing.CoverHorizon(), QuietRefill.NONE, false);
  }

  /**
   * The shaped policy's rules (the simulator's {@code shaped}; the sidecar's default): a profile's
   * first warm kernel from 0.05 launches an hour (0.005 for a namespace's top profile, so every
   * namespace in use keeps one), each further kernel while it adds 0.1 warm launches an hour given
   * a refill of {@code refill}, a 7-minute horizon, profiles under 0.025 launches an hour refilled
   * 5 minutes after their last launch, equal forecasts ranked by their kernelspec's popularity.
   */
  public static DemandRules shaped(Duration refill) {
    return new DemandRules(Duration.ofMinutes(7), 0.05, 0.005, new PoolSizing.MarginalValue(refill, 0.1),
        new QuietRefill(Duration.ofMinutes(5), 0.025), true);
  }

  /** The threshold for the profile ranked {@code rank} (0 = top) in its namespace. */
  public double minLaunchesPerHour(int rank) {
    return rank == 0 ? topMinLaunchesPerHour : minLaunchesPerHour;
  }

  public DemandRules {
    Objects.requireNonNull(sizing, "sizing");
    Objects.requireNonNull(quietRefill, "quietRefill");
    if (horizon == null || horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("demand.horizon must be a positive duration, got " + horizon);
    }
    if (!(minLaunchesPerHour >= 0) || Double.isInfinite(minLaunchesPerHour)) {
      throw new IllegalArgumentException(
          "demand.minLaunchesPerHour must be a non-negative number, got " + minLaunchesPerHour);
    }
    if (!(topMinLaunchesPerHour >= 0) || Double.isInfinite(topMinLaunchesPerHour)) {
      throw new IllegalArgumentException(
          "demand.topMinLaunchesPerHour must be a non-negative number, got " + topMinLaunchesPerHour);
    }
  }
}
